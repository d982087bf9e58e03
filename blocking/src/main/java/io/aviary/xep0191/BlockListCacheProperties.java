package io.aviary.xep0191;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local cache of block lists that the router consults for every stanza ({@link CachingBlockListStore}),
 * under {@code aviary.blocking.cache}.
 *
 * @param ttl  {@code aviary.blocking.cache.ttl}: the longest a cached list is used (default 30s). Writes by this
 *             instance and, in a cluster, change notices from others evict at once; the TTL only bounds how
 *             long a lost notice can leave a list stale
 * @param size {@code aviary.blocking.cache.size}: accounts whose lists are kept at most (default 100000; 0
 *             caches nothing)
 */
@ConfigurationProperties(prefix = "aviary.blocking.cache")
public record BlockListCacheProperties(@DefaultValue("30s") Duration ttl, @DefaultValue("100000") long size) {
}
