package io.aviary.presence.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.presence.PresenceStore;
import io.aviary.presence.PresenceStoreContract;
import io.aviary.redistest.SessionTtl;
import io.aviary.session.redis.RedisProcess;
import io.aviary.session.redis.RegistryKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The presence contract on a real redis-server, plus the key layout and TTLs that only Redis has. */
class RedisPresenceStoreTest extends PresenceStoreContract {

    private static final Duration TTL = Duration.ofMinutes(5);

    private StringRedisTemplate redis;

    @Override
    protected PresenceStore newStore() {
        redis = RedisProcess.flushed();
        return new RedisPresenceStore(redis, TTL);
    }

    @Test
    void eachAccountIsOneHashOfResourceToPriorityAndPresenceXml() {
        store.available(presence("juliet@localhost/balcony", "chat", 1));

        assertThat(redis.<String, String>opsForHash().entries("pres:{juliet@localhost}")).containsOnlyKeys("balcony")
                .containsValue("1\t<presence xmlns=\"jabber:client\" from=\"juliet@localhost/balcony\">"
                        + "<show>chat</show></presence>");
        store.unavailable(jid("juliet@localhost/balcony"));
        assertThat(redis.hasKey("pres:{juliet@localhost}")).as("gone with its last resource").isFalse();
    }

    @Test
    void everyWriteSetsTheSessionTtl() {
        String key = RegistryKeys.presence(account("juliet@localhost"));
        store.available(presence("juliet@localhost/balcony", "chat", 1));
        SessionTtl.assertExpiresWithin(redis, key, TTL.minusSeconds(10), TTL);

        redis.expire(key, Duration.ofSeconds(30));
        store.available(presence("juliet@localhost/balcony", "away", 1));
        SessionTtl.assertExpiresWithin(redis, key, TTL.minusSeconds(10), TTL);
    }

    @Test
    void aGatewayHeartbeatKeepsTheLastPresenceOfItsUsersAlive() {
        PresenceStore shortLived = new RedisPresenceStore(redis, Duration.ofSeconds(3));
        shortLived.available(presence("juliet@localhost/balcony", "chat", 1));
        shortLived.available(presence("romeo@localhost/orchard", "chat", 1));

        SessionTtl.beatWithSessionOf(redis, jid("juliet@localhost/balcony"), TTL);

        SessionTtl.assertExpiresWithin(redis, RegistryKeys.presence(account("juliet@localhost")),
                Duration.ofSeconds(3), TTL);
        SessionTtl.assertExpiresWithin(redis, RegistryKeys.presence(account("romeo@localhost")),
                Duration.ZERO, Duration.ofSeconds(3));
    }

    @Test
    void withoutHeartbeatsPresenceAgesOut() throws InterruptedException {
        PresenceStore shortLived = new RedisPresenceStore(redis, Duration.ofMillis(200));
        shortLived.available(presence("juliet@localhost/balcony", "chat", 1));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!shortLived.resources(account("juliet@localhost")).isEmpty()) {
            assertThat(System.nanoTime()).as("expired in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
