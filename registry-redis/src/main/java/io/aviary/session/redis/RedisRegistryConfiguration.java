package io.aviary.session.redis;

import io.aviary.session.CachingSessionRegistry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.SessionServiceConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wires the Redis registry when {@code aviary.registry.type=redis} (cluster mode), before the in-process
 * default of {@link SessionServiceConfiguration} would apply; with {@code aviary.registry.redis.cache.enabled}
 * behind a local cache. Gateways create their {@link GatewayHeartbeat} with their own id; session-service
 * calls the {@link DeadGatewaySweeper}.
 */
@AutoConfiguration(before = SessionServiceConfiguration.class)
@ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
@EnableConfigurationProperties(RedisRegistryProperties.class)
public class RedisRegistryConfiguration {

    private static final String CACHE_ENABLED = "aviary.registry.redis.cache.enabled";

    @Bean
    @ConditionalOnMissingBean(RedisConnectionFactory.class)
    public LettuceConnectionFactory registryRedisConnectionFactory(RedisRegistryProperties properties) {
        return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(properties.url()));
    }

    @Bean
    public StringRedisTemplate registryRedisTemplate(RedisConnectionFactory connectionFactory) {
        return new StringRedisTemplate(connectionFactory);
    }

    @Bean
    @ConditionalOnMissingBean(SessionRegistry.class)
    @ConditionalOnProperty(name = CACHE_ENABLED, havingValue = "false", matchIfMissing = true)
    public RedisSessionRegistry redisSessionRegistry(StringRedisTemplate registryRedisTemplate,
                                                     RedisRegistryProperties properties) {
        return new RedisSessionRegistry(registryRedisTemplate, properties.sessionTtl());
    }

    @Bean
    public DeadGatewaySweeper deadGatewaySweeper(StringRedisTemplate registryRedisTemplate) {
        return new DeadGatewaySweeper(registryRedisTemplate);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = CACHE_ENABLED, havingValue = "true")
    static class Cached {

        @Bean
        @ConditionalOnMissingBean(SessionRegistry.class)
        public CachingSessionRegistry cachingSessionRegistry(StringRedisTemplate registryRedisTemplate,
                                                             RedisRegistryProperties properties) {
            RedisRegistryProperties.Cache cache = properties.cache();
            return new CachingSessionRegistry(new RedisSessionRegistry(registryRedisTemplate, properties.sessionTtl()),
                    cache.ttl(), cache.size());
        }

        @Bean
        public RedisMessageListenerContainer registryChangesListener(RedisConnectionFactory connectionFactory,
                                                                     CachingSessionRegistry cachingSessionRegistry) {
            return RegistryChanges.listenerFor(connectionFactory, cachingSessionRegistry);
        }
    }
}
