package io.aviary.xmpp.sasl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test account store; records which usernames were looked up. */
final class InMemoryCredentials implements CredentialLookup {

    private final Map<String, ScramCredentials> byKey = new HashMap<>();
    final List<String> lookedUp = new ArrayList<>();

    InMemoryCredentials add(String username, ScramCredentials credentials) {
        byKey.put(username + "/" + credentials.algorithm(), credentials);
        return this;
    }

    /** Credentials for every algorithm, derived from {@code password} with a small iteration count. */
    InMemoryCredentials addAll(String username, String password, int iterations) {
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            add(username, ScramCredentials.create(algorithm, password, iterations, new java.security.SecureRandom()));
        }
        return this;
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
        lookedUp.add(username);
        return Optional.ofNullable(byKey.get(username + "/" + algorithm));
    }
}
