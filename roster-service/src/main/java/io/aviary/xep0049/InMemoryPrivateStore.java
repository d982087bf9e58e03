package io.aviary.xep0049;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Private XML in maps, for tests and servers that need not remember it across restarts. */
public final class InMemoryPrivateStore implements PrivateStore {

    private record Key(String name, String namespace) {
    }

    private final ConcurrentHashMap<String, Map<Key, String>> data = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String username, String name, String namespace) {
        return Optional.ofNullable(data.getOrDefault(username, Map.of()).get(new Key(name, namespace)));
    }

    @Override
    public List<Usage> usage(String username) {
        return data.getOrDefault(username, Map.of()).entrySet().stream()
                .map(e -> new Usage(e.getKey().name(), e.getKey().namespace(),
                        e.getValue().getBytes(StandardCharsets.UTF_8).length))
                .toList();
    }

    @Override
    public void put(String username, String name, String namespace, String element) {
        data.computeIfAbsent(username, u -> new ConcurrentHashMap<>()).put(new Key(name, namespace), element);
    }

    @Override
    public void deleteAll(String username) {
        data.remove(username);
    }
}
