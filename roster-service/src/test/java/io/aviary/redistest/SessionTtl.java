package io.aviary.redistest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionEntry;
import io.aviary.session.redis.GatewayHeartbeat;
import io.aviary.session.redis.RedisRegistryProperties;
import io.aviary.session.redis.RedisSessionRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jxmpp.jid.EntityFullJid;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The TTLs that keep per-account keys in the registry's Redis only as long as the account has a session. */
public final class SessionTtl {

    /** The registry settings of a gateway whose heartbeat extends keys to {@code sessionTtl}. */
    public static RedisRegistryProperties registry(Duration sessionTtl) {
        return new RedisRegistryProperties("unused", Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(1), 20_000, sessionTtl,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), new RedisRegistryProperties.Cache(false, Duration.ofSeconds(5), 100));
    }

    /** Binds {@code resource} on gateway {@code gw1} and lets that gateway beat once. */
    public static void beatWithSessionOf(StringRedisTemplate redis, EntityFullJid resource, Duration sessionTtl) {
        new RedisSessionRegistry(redis, sessionTtl).bind(SessionEntry.bound(resource, "gw1", "c1"));
        new GatewayHeartbeat(redis, "gw1", registry(sessionTtl)).refresh();
    }

    /** Asserts that {@code key} expires after more than {@code above} and at most {@code atMost}. */
    public static void assertExpiresWithin(StringRedisTemplate redis, String key, Duration above, Duration atMost) {
        assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS)).as("TTL of %s in ms", key)
                .isGreaterThan(above.toMillis()).isLessThanOrEqualTo(atMost.toMillis());
    }

    private SessionTtl() {
    }
}
