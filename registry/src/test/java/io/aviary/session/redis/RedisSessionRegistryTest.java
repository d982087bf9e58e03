package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.SessionRegistryContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The registry contract against a real redis-server. */
class RedisSessionRegistryTest extends SessionRegistryContract {

    private StringRedisTemplate redis;

    @Override
    protected SessionRegistry registry() {
        redis = RedisProcess.flushed();
        return new RedisSessionRegistry(redis, Duration.ofMinutes(5));
    }

    @Test
    void entriesWrittenBeforeCarbonsAndResumptionStillDecodeAndUpdate() throws Exception {
        SessionRegistry registry = registry();
        EntityFullJid balcony = JidCreate.entityFullFrom("juliet@example.com/balcony");
        // The four-field encoding of the registry before stream management (a rolling upgrade meets such entries).
        redis.opsForHash().put("sess:{juliet@example.com}", "balcony", "gw1\tc1\t2\t1");
        assertThat(registry.session(balcony)).contains(new SessionEntry(balcony, "gw1", "c1", 2, true));

        registry.updatePresence(balcony, "c1", 5, true);
        registry.markResumable(balcony, "c1", "sm-1");
        assertThat(registry.session(balcony)).contains(
                new SessionEntry(balcony, "gw1", "c1", 5, true, false, "sm-1", false));
    }
}
