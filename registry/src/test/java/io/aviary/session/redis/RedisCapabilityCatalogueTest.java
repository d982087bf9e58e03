package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.capability.Declaration;
import io.aviary.clocktest.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cluster's catalogue on a real redis-server, read by another service (the router) than the one that declared
 * (a muc tier), through a loss of Redis's data, on a clock the test moves.
 */
class RedisCapabilityCatalogueTest {

    private static final Duration TTL = Duration.ofSeconds(90);
    private static final Duration CACHE = Duration.ofSeconds(5);
    /** Longer than the test: nothing is written again behind its back. */
    private static final Duration NO_REFRESH = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));

    @Test
    void aReaderStillKnowsAServiceAfterRedisLostItsDataUntilTheServicesKeyWouldHaveExpired() {
        StringRedisTemplate redis = RedisProcess.flushed();
        try (RedisCapabilityCatalogue muc = new RedisCapabilityCatalogue(redis, TTL, NO_REFRESH, CACHE, clock);
             RedisCapabilityCatalogue router = new RedisCapabilityCatalogue(redis, TTL, NO_REFRESH, CACHE, clock)) {
            muc.publish("muc", List.of(Declaration.builder("muc").build()));
            router.publish("router", List.of(Declaration.builder("routing").build()));
            assertThat(names(router)).containsExactlyInAnyOrder("muc", "routing");

            RedisProcess.flushed();
            clock.advance(CACHE.plusSeconds(1));
            assertThat(names(router)).as("after the loss, within the key's TTL").containsExactlyInAnyOrder("muc", "routing");

            // The muc tier never writes again (it is gone): its declarations go when its key would have expired.
            clock.advance(TTL);
            assertThat(names(router)).containsExactly("routing");
        }
    }

    @Test
    void aServiceThatDeclaresAnewIsReadAnew() {
        StringRedisTemplate redis = RedisProcess.flushed();
        try (RedisCapabilityCatalogue muc = new RedisCapabilityCatalogue(redis, TTL, NO_REFRESH, CACHE, clock);
             RedisCapabilityCatalogue router = new RedisCapabilityCatalogue(redis, TTL, NO_REFRESH, CACHE, clock)) {
            muc.publish("muc", List.of(Declaration.builder("muc").build(), Declaration.builder("muc-mam").build()));
            assertThat(names(router)).containsExactlyInAnyOrder("muc", "muc-mam");

            // A rolling upgrade: the tier now runs one capability fewer.
            muc.publish("muc", List.of(Declaration.builder("muc").build()));
            clock.advance(CACHE.plusSeconds(1));
            assertThat(names(router)).containsExactly("muc");
        }
    }

    private static List<String> names(RedisCapabilityCatalogue catalogue) {
        return catalogue.declarations().stream().map(Declaration::name).toList();
    }
}
