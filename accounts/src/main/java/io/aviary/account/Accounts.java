package io.aviary.account;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.stringprep.XmppStringprepException;
import rocks.xmpp.precis.PrecisProfiles;

/**
 * Account administration over an {@link AccountStore}: what the operator command and in-band
 * registration use. Passwords are turned into SCRAM salted keys for every {@link ScramAlgorithm}
 * and never kept.
 *
 * <p>Usernames are normalised as XMPP localparts with jxmpp's {@code Localpart.from}, using the
 * process-wide {@code JxmppContext} exactly as SASL does ({@code io.aviary.xmpp.sasl.Usernames}),
 * so the name an account is stored under is the name a login looks up, whatever stringprep the
 * process installed (PRECIS UsernameCaseMapped, RFC 7622 §3.2, once
 * {@code JxmppContext.setDefaultXmppStringprep(RocksXmppPrecisStringprep.INSTANCE)} has run).
 */
public final class Accounts {

    private static final boolean PRECIS = io.aviary.xmpp.jid.Precis.ensure();


    /** PBKDF2 iterations when none are configured; the minimum RFC 5802 §5.1 suggests. */
    public static final int DEFAULT_SCRAM_ITERATIONS = ScramCredentials.DEFAULT_ITERATIONS;

    /** Longest password accepted, in chars: long enough for any passphrase, short enough to bound hashing work. */
    public static final int MAX_PASSWORD_LENGTH = 1024;

    public enum Outcome {
        CREATED, PASSWORD_CHANGED, DELETED, LOCKED, UNLOCKED, REMOVAL_REQUESTED,
        EXISTS, NO_SUCH_USER, INVALID_USERNAME, EMPTY_PASSWORD, PASSWORD_TOO_LONG, INVALID_PASSWORD;

        public boolean ok() {
            return this == CREATED || this == PASSWORD_CHANGED || this == DELETED || this == LOCKED || this == UNLOCKED
                    || this == REMOVAL_REQUESTED;
        }
    }

    /**
     * What an operation did. {@code username} is the normalised localpart, or the input as given
     * when it is not a valid localpart.
     */
    public record Result(Outcome outcome, String username) {

        public boolean ok() {
            return outcome.ok();
        }

        /** A one-line description for operators and logs, e.g. {@code "account 'alice' created"}. */
        public String message() {
            return switch (outcome) {
                case CREATED -> "account '" + username + "' created";
                case PASSWORD_CHANGED -> "password of '" + username + "' changed";
                case DELETED -> "account '" + username + "' deleted";
                case LOCKED -> "account '" + username + "' locked";
                case UNLOCKED -> "account '" + username + "' unlocked";
                case REMOVAL_REQUESTED -> "account '" + username + "' locked, to be deleted by the server";
                case EXISTS -> "account '" + username + "' already exists";
                case NO_SUCH_USER -> "no account '" + username + "'";
                case INVALID_USERNAME -> "'" + username + "' is not a valid username";
                case EMPTY_PASSWORD -> "the password is empty";
                case PASSWORD_TOO_LONG -> "the password is longer than " + MAX_PASSWORD_LENGTH + " characters";
                case INVALID_PASSWORD -> "the password contains characters that are not allowed";
            };
        }
    }

    private final AccountStore store;
    private final int iterations;
    private final SecureRandom random;
    private final FastTokenStore fastTokens;
    private final Clock clock;

    public Accounts(AccountStore store) {
        this(store, DEFAULT_SCRAM_ITERATIONS, new SecureRandom());
    }

    public Accounts(AccountStore store, int scramIterations, SecureRandom random) {
        this(store, scramIterations, random, new InMemoryFastTokenStore());
    }

    /** With the account's XEP-0484 FAST tokens in {@code fastTokens}, revoked when its password changes or it goes. */
    public Accounts(AccountStore store, int scramIterations, SecureRandom random, FastTokenStore fastTokens) {
        this(store, scramIterations, random, fastTokens, Clock.systemUTC());
    }

    /** The same, dating removed accounts' tombstones by {@code clock}. */
    public Accounts(AccountStore store, int scramIterations, SecureRandom random, FastTokenStore fastTokens,
                    Clock clock) {
        if (scramIterations < 1) {
            throw new IllegalArgumentException("scramIterations must be positive: " + scramIterations);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.iterations = scramIterations;
        this.random = Objects.requireNonNull(random, "random");
        this.fastTokens = Objects.requireNonNull(fastTokens, "fastTokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The normalised localpart, or empty when {@code username} is not a valid one. */
    public static Optional<String> normalize(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Localpart.from(username).toString());
        } catch (XmppStringprepException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public Result register(String username, String password) {
        return withValidInput(username, password, name -> {
            if (store.exists(name)) {
                return Outcome.EXISTS; // cheap check before the hashing work
            }
            return store.create(name, credentials(password)) ? Outcome.CREATED : Outcome.EXISTS;
        });
    }

    public Result changePassword(String username, String password) {
        return withValidInput(username, password, name -> {
            if (!store.exists(name)) {
                return Outcome.NO_SUCH_USER;
            }
            if (!store.setCredentials(name, credentials(password))) {
                return Outcome.NO_SUCH_USER;
            }
            // A token stands for the password it was got with: whoever knew the old one must not keep a way in.
            fastTokens.revokeAll(name);
            return Outcome.PASSWORD_CHANGED;
        });
    }

    /** Normalises the username and checks the password, then runs {@code action} on the normalised name. */
    private Result withValidInput(String username, String password, java.util.function.Function<String, Outcome> action) {
        Optional<String> name = normalize(username);
        if (name.isEmpty()) {
            return new Result(Outcome.INVALID_USERNAME, username);
        }
        Outcome passwordProblem = checkPassword(password);
        if (passwordProblem != null) {
            return new Result(passwordProblem, name.get());
        }
        return new Result(action.apply(name.get()), name.get());
    }

    public Result delete(String username) {
        Optional<String> name = normalize(username);
        if (name.isEmpty()) {
            return new Result(Outcome.INVALID_USERNAME, username);
        }
        boolean deleted = store.delete(name.get(), clock.instant());
        fastTokens.revokeAll(name.get());
        return new Result(deleted ? Outcome.DELETED : Outcome.NO_SUCH_USER, name.get());
    }

    /**
     * Asks the server to delete the account as the admin API does, with everything kept for it and its sessions,
     * where only the database is at hand (the command line): deleting the row alone would leave the account's roster,
     * vCard, messages and archive to whoever registers the name next. Locked at once, as {@link #setLocked} locks.
     */
    public Result requestRemoval(String username) {
        Optional<String> name = normalize(username);
        if (name.isEmpty()) {
            return new Result(Outcome.INVALID_USERNAME, username);
        }
        if (!store.requestRemoval(name.get())) {
            return new Result(Outcome.NO_SUCH_USER, name.get());
        }
        fastTokens.revokeAll(name.get());
        return new Result(Outcome.REMOVAL_REQUESTED, name.get());
    }

    /** The accounts whose removal was requested ({@link #requestRemoval}) and not yet done, oldest first. */
    public List<String> removalRequests() {
        return store.removalRequests();
    }

    /**
     * Locks the account (it keeps its data, every login fails) or unlocks it. Locking revokes its XEP-0484 FAST tokens
     * as a password change does: a token must not outlive the decision to shut the account out.
     */
    public Result setLocked(String username, boolean locked) {
        Optional<String> name = normalize(username);
        if (name.isEmpty()) {
            return new Result(Outcome.INVALID_USERNAME, username);
        }
        if (!store.setLocked(name.get(), locked)) {
            return new Result(Outcome.NO_SUCH_USER, name.get());
        }
        if (locked) {
            fastTokens.revokeAll(name.get());
        }
        return new Result(locked ? Outcome.LOCKED : Outcome.UNLOCKED, name.get());
    }

    /**
     * Whether {@code password} is the account's (and the account is not locked), checked as SASL PLAIN checks it:
     * by deriving the SHA-256 keys with the stored salt and comparing stored keys. For the admin API's HTTP Basic.
     */
    public boolean verifyPassword(String username, String password) {
        Optional<ScramCredentials> stored = normalize(username).flatMap(name -> store.scram(name, ScramAlgorithm.SHA_256));
        if (stored.isEmpty() || password == null) {
            return false;
        }
        ScramCredentials expected = stored.get();
        try {
            ScramCredentials actual = ScramCredentials.derive(expected.algorithm(), password, expected.salt(),
                    expected.iterations());
            return java.security.MessageDigest.isEqual(actual.storedKey(), expected.storedKey());
        } catch (IllegalArgumentException e) {
            return false; // not a valid OpaqueString: no stored password can match it
        }
    }

    public boolean locked(String username) {
        return normalize(username).map(store::locked).orElse(false);
    }

    public boolean exists(String username) {
        return normalize(username).map(store::exists).orElse(false);
    }

    /**
     * Whether the name belonged to an account removed less than {@code expiry} ago (null: however long ago), so that
     * registration by a user should not hand it to someone else (the tombstone, {@link AccountStore#removedAt}).
     */
    public boolean removedWithin(String username, Duration expiry) {
        return normalize(username).flatMap(store::removedAt)
                .filter(removed -> expiry == null || removed.plus(expiry).isAfter(clock.instant()))
                .isPresent();
    }

    /** Usernames in alphabetical order. */
    public List<String> list() {
        return store.usernames().stream().sorted().toList();
    }

    public AccountStore store() {
        return store;
    }

    public int scramIterations() {
        return iterations;
    }

    private static Outcome checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            return Outcome.EMPTY_PASSWORD;
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            return Outcome.PASSWORD_TOO_LONG;
        }
        try {
            // The check SCRAM's Normalize() will make (RFC 8265 OpaqueString): control characters
            // and the like could never be typed back at login.
            PrecisProfiles.OPAQUE_STRING.enforce(password);
            return null;
        } catch (IllegalArgumentException e) {
            return Outcome.INVALID_PASSWORD;
        }
    }

    private List<ScramCredentials> credentials(String password) {
        List<ScramCredentials> all = new ArrayList<>();
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            all.add(ScramCredentials.create(algorithm, password, iterations, random));
        }
        return all;
    }
}
