package io.aviary.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link FastTokenStore} in memory, for tests and an account store without a database. */
public final class InMemoryFastTokenStore implements FastTokenStore {

    /** username → tokens; each account's list is changed under the map's lock. */
    private final Map<String, List<FastToken>> byAccount = new HashMap<>();

    @Override
    public synchronized List<FastToken> tokens(String username, String client) {
        return byAccount.getOrDefault(username, List.of()).stream()
                .filter(t -> t.client().equals(client))
                .sorted(Comparator.comparing(FastToken::slot))
                .toList();
    }

    @Override
    public synchronized void issue(FastToken token, int maxClients, Instant now) {
        List<FastToken> tokens = byAccount.computeIfAbsent(token.username(), u -> new ArrayList<>());
        tokens.removeIf(t -> !t.expires().isAfter(now)
                || (t.client().equals(token.client()) && t.slot() == token.slot()));
        tokens.add(token);
        Map<String, Instant> latestByClient = new HashMap<>();
        tokens.forEach(t -> latestByClient.merge(t.client(), t.issued(), (a, b) -> a.isAfter(b) ? a : b));
        latestByClient.entrySet().stream()
                .sorted(Map.Entry.<String, Instant>comparingByValue().reversed())
                .skip(maxClients)
                .forEach(e -> tokens.removeIf(t -> t.client().equals(e.getKey())));
    }

    @Override
    public synchronized boolean used(FastToken token, long count) {
        List<FastToken> tokens = byAccount.getOrDefault(token.username(), List.of());
        FastToken stored = tokens.stream().filter(t -> t.equals(token)).findFirst().orElse(null);
        if (stored == null || (count >= 0 && count <= stored.lastCount())) {
            return false;
        }
        tokens.remove(stored);
        long last = count >= 0 ? count : stored.lastCount();
        if (stored.slot() == FastToken.Slot.NEW) {
            tokens.removeIf(t -> t.client().equals(token.client()) && t.slot() == FastToken.Slot.CURRENT);
        }
        tokens.add(stored.in(FastToken.Slot.CURRENT, last));
        return true;
    }

    @Override
    public synchronized void revoke(FastToken token) {
        byAccount.getOrDefault(token.username(), new ArrayList<>()).removeIf(t -> t.equals(token));
    }

    @Override
    public synchronized void revokeAll(String username) {
        byAccount.remove(username);
    }
}
