package io.aviary.xep0191;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * Block lists kept in memory in front of the database: {@link BlockingFilter} needs both parties' lists for
 * every routed stanza, and reading them per stanza was the router's largest cost (docs/benchmarks.md). Most
 * lists are empty, and empty lists are cached too.
 *
 * <p>Every write through this store evicts the account and announces it ({@link BlockListChanges}) so that
 * other instances evict it too; {@link #invalidate} is how their notices arrive. A read that loads a list
 * while a notice for it arrives cannot leave the old list behind: Caffeine's {@code invalidate} waits for a
 * load of the same key in progress and then removes what it loaded. The TTL bounds the damage of a lost notice.
 */
public final class CachingBlockListStore implements BlockListStore {

    private final BlockListStore delegate;
    private final BlockListChanges changes;
    private final Cache<String, Set<String>> lists;

    public CachingBlockListStore(BlockListStore delegate, Duration ttl, long size, BlockListChanges changes) {
        this.delegate = delegate;
        this.changes = changes;
        // Eviction on the calling thread rather than the common pool: the size bound holds at once.
        this.lists = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(size).executor(Runnable::run).build();
    }

    /** Forgets an account's list, after another instance changed it. */
    public void invalidate(String username) {
        lists.invalidate(username);
    }

    /** Forgets every list, when change notices may have been missed (for example after a reconnect). */
    public void invalidateAll() {
        lists.invalidateAll();
    }

    @Override
    public Set<String> blocked(String username) {
        return lists.get(username, delegate::blocked);
    }

    @Override
    public void block(String username, Collection<String> jids) {
        write(username, () -> delegate.block(username, jids));
    }

    @Override
    public void unblock(String username, Collection<String> jids) {
        write(username, () -> delegate.unblock(username, jids));
    }

    @Override
    public void clear(String username) {
        write(username, () -> delegate.clear(username));
    }

    /** Even a write that failed may have changed the list (a lost commit answer): forget it either way. */
    private void write(String username, Runnable write) {
        try {
            write.run();
        } finally {
            lists.invalidate(username);
            changes.changed(username);
        }
    }
}
