package io.aviary.bus.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} message ids one consumer group handled in this process. Kafka delivers at
 * least once: a record handled just before its partition was revoked (or before a failed commit) comes
 * again, and without this the user would see the same chat message twice.
 */
final class RecentlyHandled {

    private final Map<String, Boolean> ids;

    RecentlyHandled(int capacity) {
        this.ids = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String id) {
        return ids.containsKey(id);
    }

    synchronized void add(String id) {
        ids.put(id, Boolean.TRUE);
    }
}
