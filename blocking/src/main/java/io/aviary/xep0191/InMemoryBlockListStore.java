package io.aviary.xep0191;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Block lists in maps, for tests and servers that need not remember them across restarts. */
public final class InMemoryBlockListStore implements BlockListStore {

    private final ConcurrentHashMap<String, Set<String>> lists = new ConcurrentHashMap<>();

    @Override
    public Set<String> blocked(String username) {
        return Set.copyOf(lists.getOrDefault(username, Set.of()));
    }

    @Override
    public void block(String username, Collection<String> jids) {
        lists.computeIfAbsent(username, u -> ConcurrentHashMap.newKeySet()).addAll(jids);
    }

    @Override
    public void unblock(String username, Collection<String> jids) {
        lists.computeIfPresent(username, (u, set) -> {
            set.removeAll(jids);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void clear(String username) {
        lists.remove(username);
    }
}
