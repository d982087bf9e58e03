package io.aviary.xep0191.redis;

import io.aviary.session.redis.ChangeNotices;
import io.aviary.session.redis.RegistryKeys;
import io.aviary.xep0191.BlockListChanges;
import io.aviary.xep0191.CachingBlockListStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Block list changes announced on {@link RegistryKeys#BLOCK_LIST_CHANGES}, where every instance's
 * {@link CachingBlockListStore} listens. A failed announcement is logged, not thrown: the list is already
 * written, the other instances' caches forget everything when their subscription comes back, and their TTL
 * bounds the rest.
 */
public final class RedisBlockListChanges implements BlockListChanges {

    private static final Logger log = LoggerFactory.getLogger(RedisBlockListChanges.class);

    private final StringRedisTemplate redis;

    public RedisBlockListChanges(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** A listener container (not yet started) that makes {@code cache} forget every list announced changed. */
    public static RedisMessageListenerContainer listenerFor(RedisConnectionFactory connectionFactory,
                                                            CachingBlockListStore cache) {
        return ChangeNotices.listenerFor(connectionFactory, RegistryKeys.BLOCK_LIST_CHANGES, cache::invalidate,
                cache::invalidateAll);
    }

    @Override
    public void changed(String username) {
        try {
            redis.convertAndSend(RegistryKeys.BLOCK_LIST_CHANGES, username);
        } catch (RuntimeException e) {
            log.warn("could not announce the block list change of {}: other instances may use the old list "
                    + "until their cache expires ({})", username, e.toString());
        }
    }
}
