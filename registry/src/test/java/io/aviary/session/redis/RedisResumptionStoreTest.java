package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.ResumptionStoreContract;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The resumption store contract against a real redis-server, and its keys' lifetimes. */
class RedisResumptionStoreTest extends ResumptionStoreContract {

    private static final Duration MARGIN = Duration.ofMinutes(15);

    private StringRedisTemplate redis;

    @Override
    protected ResumptionStore store() {
        redis = RedisProcess.flushed();
        return new RedisResumptionStore(redis, MARGIN, Clock.systemUTC());
    }

    @Test
    void keysLiveForTheResumptionTimePlusTheMarginAndCloseLeavesNothing() throws Exception {
        ResumptionStore store = store();
        store.open(new ResumableSession("sm-1", JidCreate.entityFullFrom("juliet@example.com/balcony"), "gw1", "c1",
                Duration.ofMinutes(10), 10));
        store.append("sm-1", XmlElement.builder("message", "jabber:client").textChild("body", "hi").build());
        long bound = Duration.ofMinutes(10).plus(MARGIN).toMillis();
        assertThat(redis.getExpire("sm:{sm-1}", java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(bound - 5_000, bound);
        assertThat(redis.getExpire("sm:{sm-1}:queue", java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(bound - 5_000, bound);

        // An operator's long hibernation keeps the keys until its end plus the margin.
        store.hibernate("sm-1", "c1", Instant.now().plus(Duration.ofHours(2)));
        long hibernated = Duration.ofHours(2).plus(MARGIN).toMillis();
        assertThat(redis.getExpire("sm:{sm-1}", java.util.concurrent.TimeUnit.MILLISECONDS)).isBetween(hibernated - 5_000, hibernated);

        store.close("sm-1");
        assertThat(redis.keys("sm:*")).isEmpty();
    }
}
