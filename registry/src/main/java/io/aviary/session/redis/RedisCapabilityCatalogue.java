package io.aviary.session.redis;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.DeclarationXml;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cluster's capability catalogue: each service's declarations, as XML, in {@code capabilities:<service>} with a
 * TTL that the service refreshes, so a tier that is gone (or runs other capabilities after a rolling upgrade) stops
 * counting once its key expires. Reads are cached briefly: every stream's features and every disco#info ask.
 *
 * <p>A reader keeps what it read of each key until that key's expiry as it was then, so a Redis that lost its data
 * (restarted without persistence) does not make the services disappear for readers that knew them (the router would
 * answer {@code remote-server-not-found} for rooms) until each has written its key again: the declarations count
 * exactly as long as they would have had Redis kept them.
 */
public final class RedisCapabilityCatalogue implements CapabilityCatalogue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisCapabilityCatalogue.class);

    private final StringRedisTemplate redis;
    private final Duration ttl;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, List<Declaration>> published = new ConcurrentHashMap<>();
    /** What the last reads found under each key, kept until the key's expiry as read. */
    private final Map<String, Read> read = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;
    private volatile Cached cached;

    private record Cached(List<Declaration> declarations, Instant until) {
    }

    private record Read(List<Declaration> declarations, Instant until) {
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
        Instant now = clock.instant();
        try {
            readKeys(now);
        } catch (RuntimeException e) {
            // Redis is away: answer with what this process runs and what was read before, rather than fail the
            // stream or the disco query.
            log.warn("capability catalogue unreadable, using this service's own and the last read: {}", e.toString());
            return InMemoryCapabilityCatalogue.distinctByName(known(now));
        }
        List<Declaration> all = known(now);
        List<Declaration> declarations = InMemoryCapabilityCatalogue.distinctByName(all);
        if (current != null && declarations.equals(current.declarations())) {
            // Readers that keep what they built from the list (the router's topic index) tell a change by identity.
            declarations = current.declarations();
        }
        cached = new Cached(declarations, clock.instant().plus(cacheFor));
        return declarations;
    }

    /** Reads every service's key with its remaining TTL (in one round trip), into {@link #read}. */
    private void readKeys(Instant now) {
        List<String> keys = new ArrayList<>();
        try (var cursor = redis.scan(ScanOptions.scanOptions().match(RegistryKeys.CAPABILITIES + "*").count(100).build())) {
            cursor.forEachRemaining(keys::add);
        }
        if (keys.isEmpty()) {
            return;
        }
        List<Object> values = redis.executePipelined((RedisCallback<Object>) connection -> {
            for (String key : keys) {
                byte[] raw = key.getBytes(StandardCharsets.UTF_8);
                connection.stringCommands().get(raw);
                connection.keyCommands().pTtl(raw);
            }
            return null;
        });
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(2 * i) instanceof String xml && values.get(2 * i + 1) instanceof Long pttl && pttl != -2) {
                Instant until = pttl < 0 ? now.plus(ttl) : now.plusMillis(pttl);
                read.put(keys.get(i), new Read(DeclarationXml.read(xml), until));
            }
        }
    }

    /** This process's own declarations and those read that have not expired. */
    private List<Declaration> known(Instant now) {
        read.values().removeIf(r -> !now.isBefore(r.until()));
        List<Declaration> all = new ArrayList<>();
        published.values().forEach(all::addAll);
        read.values().forEach(r -> all.addAll(r.declarations()));
        return all;
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
