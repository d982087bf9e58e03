package io.aviary.session.redis;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.session.CachingSessionRegistry;
import io.aviary.session.MeteredSessionRegistry;
import io.aviary.session.RegistryConfiguration;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ResumptionProperties;
import io.aviary.session.resumption.ResumptionStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wires the Redis registry when {@code aviary.registry.type=redis} (cluster mode), before the in-process
 * default of {@link RegistryConfiguration} would apply; with {@code aviary.registry.redis.cache.enabled}
 * behind a local cache. Failures are counted ({@link MeteredSessionRegistry}) and Redis is part of readiness
 * (the {@code redis} health contributor). The XEP-0198 {@link RedisResumptionStore} shares the registry's Redis.
 * Gateways create their {@link GatewayHeartbeat} with their own id;
 * the session service runs the {@link DeadGatewayCleanup}.
 */
@AutoConfiguration(before = RegistryConfiguration.class)
@ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
@EnableConfigurationProperties({RedisRegistryProperties.class, ResumptionProperties.class})
public class RedisRegistryConfiguration {

    private static final String CACHE_ENABLED = "aviary.registry.redis.cache.enabled";

    /** The registry's Lettuce threads and timers, with reconnects at most {@code reconnect-delay} apart. */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean(RedisConnectionFactory.class)
    public ClientResources registryRedisClientResources(RedisRegistryProperties properties) {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(1), properties.reconnectDelay(), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean
    @ConditionalOnMissingBean(RedisConnectionFactory.class)
    public LettuceConnectionFactory registryRedisConnectionFactory(RedisRegistryProperties properties,
                                                                   ClientResources registryRedisClientResources) {
        // The client configuration takes TLS (rediss://) and the client name from the URI too. A command waited for
        // gives up after command-timeout (Spring's wait); one sent without waiting expires after async-timeout.
        return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(properties.url()),
                LettuceClientConfiguration.builder().apply(RedisURI.create(properties.url()))
                        .clientResources(registryRedisClientResources)
                        .commandTimeout(properties.commandTimeout())
                        .clientOptions(ClientOptions.builder()
                                .timeoutOptions(TimeoutOptions.enabled(properties.asyncTimeout()))
                                .requestQueueSize(properties.requestQueueSize())
                                .build())
                        .build());
    }

    /** Every service's Redis commands go through this template, so it is made once Redis answers. */
    @Bean
    public StringRedisTemplate registryRedisTemplate(RedisConnectionFactory connectionFactory,
                                                     RedisRegistryProperties properties) {
        RedisAtStart.awaitAnswer(connectionFactory, properties.startupWait());
        return new StringRedisTemplate(connectionFactory);
    }

    @Bean
    @ConditionalOnMissingBean(SessionRegistry.class)
    @ConditionalOnProperty(name = CACHE_ENABLED, havingValue = "false", matchIfMissing = true)
    public SessionRegistry redisSessionRegistry(StringRedisTemplate registryRedisTemplate,
                                                RedisRegistryProperties properties,
                                                ObjectProvider<MeterRegistry> meters) {
        return metered(new RedisSessionRegistry(registryRedisTemplate, properties.sessionTtl()), meters);
    }

    /** XEP-0198 queues and counters next to the registry, so a client resumes on any gateway. */
    @Bean
    @ConditionalOnMissingBean(ResumptionStore.class)
    public RedisResumptionStore redisResumptionStore(StringRedisTemplate registryRedisTemplate,
                                                     ResumptionProperties properties) {
        return new RedisResumptionStore(registryRedisTemplate, properties.keyMargin(), Clock.systemUTC());
    }

    /**
     * Each service's capability declarations, shared so that disco#info and stream features cover the whole cluster.
     * Written again every 5 s (one SET per service), so that after Redis lost its data the router finds the tiers'
     * rooms, pubsub and upload services again within seconds; every 30 s left them {@code remote-server-not-found}
     * for up to half a minute.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(CapabilityCatalogue.class)
    public RedisCapabilityCatalogue capabilityCatalogue(StringRedisTemplate registryRedisTemplate) {
        return new RedisCapabilityCatalogue(registryRedisTemplate, Duration.ofSeconds(90), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Clock.systemUTC());
    }

    @Bean
    public DeadGatewaySweeper deadGatewaySweeper(StringRedisTemplate registryRedisTemplate) {
        return new DeadGatewaySweeper(registryRedisTemplate);
    }

    @Bean
    @ConditionalOnClass(HealthIndicator.class)
    public RedisRegistryHealthIndicator redisHealthIndicator(RedisConnectionFactory connectionFactory) {
        return new RedisRegistryHealthIndicator(connectionFactory);
    }

    private static SessionRegistry metered(SessionRegistry registry, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry meterRegistry = meters.getIfAvailable();
        return meterRegistry == null ? registry : new MeteredSessionRegistry(registry, meterRegistry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = CACHE_ENABLED, havingValue = "true")
    static class Cached {

        @Bean
        @ConditionalOnMissingBean(SessionRegistry.class)
        public CachingSessionRegistry cachingSessionRegistry(StringRedisTemplate registryRedisTemplate,
                                                             RedisRegistryProperties properties,
                                                             ObjectProvider<MeterRegistry> meters) {
            RedisRegistryProperties.Cache cache = properties.cache();
            return new CachingSessionRegistry(
                    metered(new RedisSessionRegistry(registryRedisTemplate, properties.sessionTtl()), meters),
                    cache.ttl(), cache.size());
        }

        @Bean
        public RedisMessageListenerContainer registryChangesListener(RedisConnectionFactory connectionFactory,
                                                                     CachingSessionRegistry cachingSessionRegistry) {
            return RegistryChanges.listenerFor(connectionFactory, cachingSessionRegistry);
        }
    }
}
