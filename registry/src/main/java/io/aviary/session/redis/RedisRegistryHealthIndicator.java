package io.aviary.session.redis;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Readiness of the Redis registry: up while Redis answers PING. */
public final class RedisRegistryHealthIndicator implements HealthIndicator {

    private final RedisConnectionFactory connections;

    public RedisRegistryHealthIndicator(RedisConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public Health health() {
        try (RedisConnection connection = connections.getConnection()) {
            return Health.up().withDetail("ping", connection.ping()).build();
        } catch (RuntimeException e) {
            return Health.down(e).build();
        }
    }
}
