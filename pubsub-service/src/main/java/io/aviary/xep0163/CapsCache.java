package io.aviary.xep0163;

import io.aviary.capability.KeyValueStore;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verified XEP-0115 verification strings and the features they stand for, shared by every instance through the
 * capability's key-value store (the server's database: one disco#info query per ver for the whole cluster). A verified
 * ver never changes meaning, so each instance keeps what it has read in memory too.
 */
final class CapsCache {

    private final KeyValueStore store;
    private final Map<String, Set<String>> local = new ConcurrentHashMap<>();

    CapsCache(KeyValueStore store) {
        this.store = store;
    }

    private static String key(ClientCaps caps) {
        return caps.hash() + " " + caps.ver();
    }

    /** The features of a verified ver, if some instance verified it. */
    Optional<Set<String>> features(ClientCaps caps) {
        String key = key(caps);
        Set<String> known = local.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Set<String>> stored = store.get("caps", key)
                .map(value -> value.isEmpty() ? Set.<String>of() : Set.of(value.split("\n")));
        stored.ifPresent(features -> local.put(key, features));
        return stored;
    }

    /** Keeps the features of a ver that was verified (§5.4); features with line ends are not kept. */
    void verified(ClientCaps caps, Set<String> features) {
        if (features.stream().anyMatch(f -> f.indexOf('\n') >= 0)) {
            return;
        }
        String[] sorted = features.toArray(String[]::new);
        Arrays.sort(sorted);
        store.put("caps", key(caps), String.join("\n", sorted));
        local.put(key(caps), Set.copyOf(features));
    }
}
