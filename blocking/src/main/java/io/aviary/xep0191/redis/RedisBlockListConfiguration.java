package io.aviary.xep0191.redis;

import io.aviary.session.redis.RedisRegistryConfiguration;
import io.aviary.xep0191.BlockListChanges;
import io.aviary.xep0191.BlockingConfiguration;
import io.aviary.xep0191.CachingBlockListStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * In a cluster ({@code aviary.registry.type=redis}) block lists stay in the database, but every instance caches
 * them: writes are announced on the registry's Redis and every instance's cache listens.
 */
@AutoConfiguration(after = {RedisRegistryConfiguration.class, BlockingConfiguration.class})
@ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
public class RedisBlockListConfiguration {

    @Bean
    public BlockListChanges redisBlockListChanges(@Qualifier("registryRedisTemplate") StringRedisTemplate redis) {
        return new RedisBlockListChanges(redis);
    }

    @Bean
    @ConditionalOnBean(CachingBlockListStore.class)
    public RedisMessageListenerContainer blockListChangesListener(RedisConnectionFactory connectionFactory,
                                                                  CachingBlockListStore cache) {
        return RedisBlockListChanges.listenerFor(connectionFactory, cache);
    }
}
