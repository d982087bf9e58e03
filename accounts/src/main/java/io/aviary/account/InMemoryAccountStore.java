package io.aviary.account;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in a map: for tests and for a server that need not remember anyone across restarts. */
public final class InMemoryAccountStore implements AccountStore {

    private final ConcurrentHashMap<String, Map<ScramAlgorithm, ScramCredentials>> accounts = new ConcurrentHashMap<>();
    private final Set<String> lockedAccounts = ConcurrentHashMap.newKeySet();
    private final Set<String> removalRequests = Collections.synchronizedSet(new LinkedHashSet<>());
    private final ConcurrentHashMap<String, Instant> tombstones = new ConcurrentHashMap<>();

    @Override
    public boolean exists(String username) {
        return accounts.containsKey(username);
    }

    @Override
    public boolean create(String username, List<ScramCredentials> credentials) {
        return accounts.putIfAbsent(username, byAlgorithm(credentials)) == null;
    }

    @Override
    public boolean setCredentials(String username, List<ScramCredentials> credentials) {
        Map<ScramAlgorithm, ScramCredentials> replacement = byAlgorithm(credentials);
        return accounts.computeIfPresent(username, (name, old) -> replacement) != null;
    }

    @Override
    public boolean delete(String username, Instant removedAt) {
        lockedAccounts.remove(username);
        removalRequests.remove(username);
        if (accounts.remove(username) == null) {
            return false;
        }
        tombstones.put(username, removedAt);
        return true;
    }

    @Override
    public Optional<Instant> removedAt(String username) {
        return Optional.ofNullable(tombstones.get(username));
    }

    @Override
    public boolean setLocked(String username, boolean locked) {
        if (!accounts.containsKey(username)) {
            return false;
        }
        if (locked) {
            lockedAccounts.add(username);
        } else {
            lockedAccounts.remove(username);
        }
        return true;
    }

    @Override
    public boolean locked(String username) {
        return accounts.containsKey(username) && lockedAccounts.contains(username);
    }

    @Override
    public boolean requestRemoval(String username) {
        if (!setLocked(username, true)) {
            return false;
        }
        removalRequests.add(username);
        return true;
    }

    @Override
    public List<String> removalRequests() {
        synchronized (removalRequests) {
            return List.copyOf(removalRequests);
        }
    }

    @Override
    public List<String> usernames() {
        return accounts.keySet().stream().sorted().toList();
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
        if (lockedAccounts.contains(username)) {
            return Optional.empty();
        }
        Map<ScramAlgorithm, ScramCredentials> credentials = accounts.get(username);
        return credentials == null ? Optional.empty() : Optional.ofNullable(credentials.get(algorithm));
    }

    /** An unmodifiable snapshot, so a caller's list can't change what is stored. */
    private static Map<ScramAlgorithm, ScramCredentials> byAlgorithm(List<ScramCredentials> credentials) {
        Map<ScramAlgorithm, ScramCredentials> map = new EnumMap<>(ScramAlgorithm.class);
        for (ScramCredentials c : credentials) {
            map.put(c.algorithm(), c);
        }
        return Map.copyOf(map);
    }
}
