package io.aviary.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * A local cache of each account's sessions in front of a shared registry (design.md: the router "resolves
 * sessions in the Redis registry, with a local cache"); a decorator, as style.md point 6 asks.
 *
 * <p>Reads by full or bare JID are served from the account's cached session list; {@link #sessionsOf} is
 * not cached. Writes through this instance evict the account at once; writes by other instances must be
 * reported through {@link #invalidate} (the Redis registry publishes them), and {@code ttl} bounds how long
 * a missed report can leave a stale entry. A read that raced with an invalidation is not cached: an
 * invalidation counter is checked after the entry is stored, and the entry dropped if it moved.
 */
public final class CachingSessionRegistry implements SessionRegistry {

    private final SessionRegistry delegate;
    private final long ttlNanos;
    private final int maxAccounts;
    private final Map<EntityBareJid, Cached> accounts = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    public CachingSessionRegistry(SessionRegistry delegate, Duration ttl, int maxAccounts) {
        if (ttl.isNegative() || ttl.isZero() || maxAccounts <= 0) {
            throw new IllegalArgumentException("cache TTL and size must be positive");
        }
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.maxAccounts = maxAccounts;
    }

    /** Forgets what is cached for an account, after another instance changed its sessions. */
    public void invalidate(EntityBareJid account) {
        invalidations.incrementAndGet();
        accounts.remove(account);
    }

    /** Forgets everything, when change reports may have been missed (for example after a reconnect). */
    public void invalidateAll() {
        invalidations.incrementAndGet();
        accounts.clear();
    }

    @Override
    public Optional<SessionEntry> bind(SessionEntry entry) {
        return writing(entry.jid(), () -> delegate.bind(entry));
    }

    @Override
    public boolean unbind(EntityFullJid jid, String connectionId) {
        return writing(jid, () -> delegate.unbind(jid, connectionId));
    }

    @Override
    public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
        writing(jid, () -> {
            delegate.updatePresence(jid, connectionId, priority, available);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                       boolean available) {
        return writingLater(jid, () -> delegate.updatePresenceLater(jid, connectionId, priority, available));
    }

    @Override
    public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
        writing(jid, () -> {
            delegate.updateCarbons(jid, connectionId, enabled);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> updateCarbonsLater(EntityFullJid jid, String connectionId, boolean enabled) {
        return writingLater(jid, () -> delegate.updateCarbonsLater(jid, connectionId, enabled));
    }

    @Override
    public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
        writing(jid, () -> {
            delegate.markResumable(jid, connectionId, resumptionId);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> markResumableLater(EntityFullJid jid, String connectionId, String resumptionId) {
        return writingLater(jid, () -> delegate.markResumableLater(jid, connectionId, resumptionId));
    }

    /** Not part of the cached entries: straight to the registry. */
    @Override
    public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
        delegate.directedPresence(jid, connectionId, target, available);
    }

    @Override
    public CompletableFuture<Void> directedPresenceLater(EntityFullJid jid, String connectionId, String target,
                                                         boolean available) {
        return delegate.directedPresenceLater(jid, connectionId, target, available);
    }

    @Override
    public Set<String> takeDirectedPresence(EntityFullJid jid) {
        return delegate.takeDirectedPresence(jid);
    }

    @Override
    public CompletableFuture<Set<String>> takeDirectedPresenceLater(EntityFullJid jid) {
        return delegate.takeDirectedPresenceLater(jid);
    }

    @Override
    public boolean hibernate(EntityFullJid jid, String connectionId) {
        return writing(jid, () -> delegate.hibernate(jid, connectionId));
    }

    @Override
    public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId, String connectionId) {
        return writing(jid, () -> delegate.resume(jid, resumptionId, gatewayId, connectionId));
    }

    /** A write through this instance: the account is forgotten afterwards, whether the write succeeded or not. */
    private <T> T writing(EntityFullJid jid, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            invalidate(jid.asEntityBareJid());
        }
    }

    /** {@link #writing}, for a write answered later: the account is forgotten once it is answered. */
    private <T> CompletableFuture<T> writingLater(EntityFullJid jid, Supplier<CompletableFuture<T>> write) {
        return writing(jid, write).whenComplete((result, failure) -> invalidate(jid.asEntityBareJid()));
    }

    @Override
    public Optional<SessionEntry> session(EntityFullJid jid) {
        return sessions(jid.asEntityBareJid()).stream().filter(entry -> entry.jid().equals(jid)).findFirst();
    }

    @Override
    public List<SessionEntry> sessions(EntityBareJid account) {
        long now = System.nanoTime();
        Cached cached = accounts.get(account);
        if (cached != null && now - cached.loadedAt < ttlNanos) {
            return cached.sessions;
        }
        long before = invalidations.get();
        Cached loaded = new Cached(List.copyOf(delegate.sessions(account)), now);
        if (accounts.size() < maxAccounts || cached != null) {
            accounts.put(account, loaded);
            if (invalidations.get() != before) {
                accounts.remove(account, loaded);
            }
        }
        return loaded.sessions;
    }

    @Override
    public Set<EntityFullJid> sessionsOf(String gatewayId) {
        return delegate.sessionsOf(gatewayId);
    }

    @Override
    public Set<String> gateways() {
        return delegate.gateways();
    }

    private record Cached(List<SessionEntry> sessions, long loadedAt) {
    }
}
