package io.aviary.roster.redis;

import io.aviary.presence.PresenceStore;
import io.aviary.presence.redis.RedisPresenceStore;
import io.aviary.roster.RosterConfiguration;
import io.aviary.roster.RosterInterest;
import io.aviary.session.redis.RedisRegistryConfiguration;
import io.aviary.session.redis.RedisRegistryProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * In a cluster ({@code aviary.registry.type=redis}) the per-session state of instant messaging lives in the
 * registry's Redis, not in one instance's memory: the service topic's partitions move between roster-service
 * instances, and the instance that handles an account's next stanza must know its available resources
 * (probes, initial presence, unavailable broadcast) and which of them get roster pushes. Defined before
 * {@link RosterConfiguration}, whose in-memory defaults then stand back; both live as long as a session
 * ({@code aviary.registry.redis.session-ttl}, extended by gateway heartbeats).
 */
@AutoConfiguration(before = RosterConfiguration.class, after = RedisRegistryConfiguration.class)
@ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
public class RedisImStateConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public PresenceStore redisPresenceStore(@Qualifier("registryRedisTemplate") StringRedisTemplate redis,
                                            RedisRegistryProperties properties) {
        return new RedisPresenceStore(redis, properties.sessionTtl());
    }

    @Bean
    @ConditionalOnMissingBean
    public RosterInterest redisRosterInterest(@Qualifier("registryRedisTemplate") StringRedisTemplate redis,
                                              RedisRegistryProperties properties) {
        return new RedisRosterInterest(redis, properties.sessionTtl());
    }
}
