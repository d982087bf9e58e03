package io.aviary.xep0012;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Last logouts in a map, for tests and servers that need not remember them across restarts. */
public final class InMemoryLastActivityStore implements LastActivityStore {

    private final ConcurrentHashMap<String, Logout> logouts = new ConcurrentHashMap<>();

    @Override
    public void record(String username, Logout logout) {
        logouts.put(username, logout);
    }

    @Override
    public Optional<Logout> last(String username) {
        return Optional.ofNullable(logouts.get(username));
    }

    @Override
    public void delete(String username) {
        logouts.remove(username);
    }
}
