package io.aviary.capability;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link KeyValueStore} in memory: for tests, and for what need not survive a restart. */
public final class InMemoryKeyValueStore implements KeyValueStore {

    private final Map<String, Map<String, String>> values = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String owner, String key) {
        return Optional.ofNullable(values.getOrDefault(owner, Map.of()).get(key));
    }

    @Override
    public void put(String owner, String key, String value) {
        values.computeIfAbsent(owner, o -> new ConcurrentHashMap<>()).put(key, value);
    }

    @Override
    public void delete(String owner, String key) {
        values.computeIfPresent(owner, (o, kept) -> {
            kept.remove(key);
            return kept.isEmpty() ? null : kept;
        });
    }

    @Override
    public void deleteOwner(String owner) {
        values.remove(owner);
    }
}
