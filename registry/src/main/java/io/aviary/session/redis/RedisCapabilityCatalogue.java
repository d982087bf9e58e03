package io.aviary.session.redis;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.DeclarationXml;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cluster's capability catalogue: each service's declarations, as XML, in {@code capabilities:<service>} with a
 * TTL that the service refreshes, so a tier that is gone (or runs other capabilities after a rolling upgrade) stops
 * counting once its key expires. Reads are cached briefly: every stream's features and every disco#info ask.
 */
public final class RedisCapabilityCatalogue implements CapabilityCatalogue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCapabilityCatalogue.class);

    private final StringRedisTemplate redis;
    private final Duration ttl;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, List<Declaration>> published = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;
    private volatile Cached cached;

    private record Cached(List<Declaration> declarations, Instant until) {
    }

    /**
     * @param ttl          how long a service's declarations outlive its last refresh (a tier that is gone stops
     *                     counting then)
     * @param refreshEvery how often they are written again: also how soon they are back after Redis lost its data
     * @param cacheFor     how long a read of the whole catalogue is kept
     */
    public RedisCapabilityCatalogue(StringRedisTemplate redis, Duration ttl, Duration refreshEvery, Duration cacheFor,
                                    Clock clock) {
        this.redis = redis;
        this.ttl = ttl;
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "capability-catalogue");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, refreshEvery.toMillis());
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void publish(String service, List<Declaration> declarations) {
        published.put(service, List.copyOf(declarations));
        write(service, declarations);
        cached = null;
    }

    @Override
    public List<Declaration> declarations() {
        Cached current = cached;
        if (current != null && clock.instant().isBefore(current.until())) {
            return current.declarations();
        }
        List<Declaration> all = new ArrayList<>();
        published.values().forEach(all::addAll);
        try {
            List<String> keys = new ArrayList<>();
            try (var cursor = redis.scan(ScanOptions.scanOptions().match(RegistryKeys.CAPABILITIES + "*").count(100).build())) {
                cursor.forEachRemaining(keys::add);
            }
            if (!keys.isEmpty()) {
                redis.opsForValue().multiGet(keys).stream().filter(Objects::nonNull)
                        .forEach(xml -> all.addAll(DeclarationXml.read(xml)));
            }
        } catch (RuntimeException e) {
            // Redis is away: answer with what this process runs rather than fail the stream or the disco query.
            log.warn("capability catalogue unreadable, using this service's own: {}", e.toString());
            return InMemoryCapabilityCatalogue.distinctByName(all);
        }
        List<Declaration> declarations = InMemoryCapabilityCatalogue.distinctByName(all);
        if (current != null && declarations.equals(current.declarations())) {
            // Readers that keep what they built from the list (the router's topic index) tell a change by identity.
            declarations = current.declarations();
        }
        cached = new Cached(declarations, clock.instant().plus(cacheFor));
        return declarations;
    }

    private void refresh() {
        published.forEach((service, declarations) -> {
            try {
                write(service, declarations);
            } catch (RuntimeException e) {
                log.warn("capability catalogue refresh of {} failed: {}", service, e.toString());
            }
        });
    }

    private void write(String service, List<Declaration> declarations) {
        redis.opsForValue().set(RegistryKeys.CAPABILITIES + service, DeclarationXml.write(declarations), ttl);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
