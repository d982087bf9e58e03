package io.aviary.gateway.warmup;

import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The accounts the login warm-up logs in as. They exist for SASL only and only while the warm-up runs: no store holds
 * them, so nothing a user or an admin lists shows them, and once the warm-up has ended no one can log in as them.
 * Their names share a random prefix and their password is random, both new at every start and never written
 * anywhere, so no one outside the process can log in as them while it runs either.
 *
 * <p>The real credential look-up is asked first, for every name: it is part of the login path being warmed up, and
 * an account a user has (by any chance) registered under such a name stays that user's.
 */
public final class WarmUpAccounts implements CredentialLookup {

    private final CredentialLookup accounts;
    private final String prefix;
    private final String password;
    private final ScramCredentials credentials;
    private volatile boolean open = true;

    public WarmUpAccounts(CredentialLookup accounts, SecureRandom random) {
        this.accounts = accounts;
        byte[] name = new byte[8];
        random.nextBytes(name);
        this.prefix = "warm-up-" + HexFormat.of().formatHex(name) + "-";
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.password = Base64.getEncoder().encodeToString(secret);
        this.credentials = ScramCredentials.create(ScramAlgorithm.SHA_256, password, ScramCredentials.DEFAULT_ITERATIONS,
                random);
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
        Optional<ScramCredentials> stored = accounts.scram(username, algorithm);
        if (stored.isPresent() || !open || algorithm != ScramAlgorithm.SHA_256 || !username.startsWith(prefix)) {
            return stored;
        }
        return Optional.of(credentials);
    }

    /** The localpart prefix of every warm-up account: {@code <prefix><n>}. */
    public String prefix() {
        return prefix;
    }

    /** The warm-up accounts' password (SCRAM-SHA-256 only). */
    String password() {
        return password;
    }

    /** The warm-up is over: from now on no login as a warm-up account succeeds. */
    public void close() {
        open = false;
    }
}
