package io.aviary.session.redis;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Waits, when a service starts, until Redis answers a PING. Lettuce gives a new connection's handshake only
 * {@code command-timeout} (2 s), which a starting service on a busy machine can miss; the beans that write to Redis
 * while the context is created (the capability catalogue, the gateway's heartbeat) would then fail the whole start
 * for one slow answer. Past {@code startup-wait} the last failure stops the start, as before.
 */
final class RedisAtStart {

    private static final Logger log = LoggerFactory.getLogger(RedisAtStart.class);
    private static final Duration RETRY = Duration.ofMillis(500);

    private RedisAtStart() {
    }

    static void awaitAnswer(RedisConnectionFactory connections, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        for (int attempt = 1; ; attempt++) {
            try (RedisConnection connection = connections.getConnection()) {
                connection.ping();
                if (attempt > 1) {
                    log.info("Redis answered after {} attempts", attempt);
                }
                return;
            } catch (DataAccessException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                log.warn("Redis did not answer (attempt {}), trying again for up to {} s: {}", attempt,
                        wait.toMillis() / 1000.0, e.getMessage());
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Redis", e);
            }
        }
    }
}
