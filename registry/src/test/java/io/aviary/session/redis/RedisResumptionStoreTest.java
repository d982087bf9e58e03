package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionState;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.ResumptionStoreContract;
import io.aviary.xmpp.xml.XmlElement;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    /**
     * What a gateway's event loop asks of the store with its stanzas is sent without waiting for Redis: while Redis
     * holds every client (CLIENT PAUSE, a Redis that stopped answering for a while), the calls return at once and
     * take effect when it answers again.
     */
    @Test
    void theEventLoopsWritesDoNotWaitForRedis() throws Exception {
        ResumptionStore store = store();
        store.open(new ResumableSession("sm-1", JidCreate.entityFullFrom("juliet@example.com/balcony"), "gw1", "c1",
                Duration.ofMinutes(10), 10));
        for (int i = 0; i < 3; i++) {
            store.append("sm-1", XmlElement.builder("message", "jabber:client").textChild("body", "m" + i).build());
        }
        long pauseMillis = 3_000;
        CompletableFuture<Long> appended;
        CompletableFuture<Void> opened;
        try (RedisClient client = RedisClient.create(RedisProcess.url());
             StatefulRedisConnection<String, String> operator = client.connect()) {
            operator.sync().clientPause(pauseMillis);
            long start = System.nanoTime();
            store.discard("sm-1", 2);
            store.acknowledge("sm-1", 1, 1);
            store.handled("sm-1", 4);
            opened = store.openLater(new ResumableSession("sm-2", JidCreate.entityFullFrom("juliet@example.com/hall"),
                    "gw1", "c2", Duration.ofMinutes(10), 10));
            appended = store.appendLater("sm-1", XmlElement.builder("message", "jabber:client").build());
            long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertThat(tookMillis).as("the calls returned while Redis was paused").isLessThan(pauseMillis);
            assertThat(appended).as("answered only once Redis is back").isNotDone();
        }
        assertThat(appended.get(10, TimeUnit.SECONDS)).isEqualTo(4L);
        assertThat(opened).isCompleted();
        assertThat(store.after("sm-1", 0)).extracting(QueuedStanza::position).containsExactly(3L, 4L);
        assertThat(store.state("sm-1")).get().extracting(ResumptionState::inbound).isEqualTo(4L);
        assertThat(store.state("sm-2")).isPresent();
    }
}
