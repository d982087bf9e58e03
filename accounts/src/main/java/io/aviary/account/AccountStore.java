package io.aviary.account;

import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accounts of the served domain, keyed by normalised localpart. Only SCRAM salted keys are kept,
 * one set per algorithm; the password itself is never stored (design.md, "Durable state").
 */
public interface AccountStore extends CredentialLookup {

    boolean exists(String username);

    /** Creates the account with credentials for every SCRAM algorithm; false if it already exists. */
    boolean create(String username, List<ScramCredentials> credentials);

    /** Replaces the credentials; false if there is no such account. */
    boolean setCredentials(String username, List<ScramCredentials> credentials);

    /**
     * Removes the account and keeps its name's tombstone, dated {@code removedAt}, in the same step; false if there was
     * no such account (and then no tombstone is written).
     */
    boolean delete(String username, Instant removedAt);

    /** When an account of this name was last removed, if one was: its tombstone, which outlives the account. */
    Optional<Instant> removedAt(String username);

    List<String> usernames();

    /**
     * Locks or unlocks the account; false if there is no such account. A locked account keeps its data but its
     * credentials are not handed to SASL ({@link #scram} is empty for it), so every login fails as with a wrong password.
     */
    boolean setLocked(String username, boolean locked);

    /** Whether the account exists and is locked. */
    boolean locked(String username);

    /**
     * Locks the account and records that its removal was asked for where only this store is at hand (the command
     * line), for the server to complete; false if there is no such account. The request goes with the account.
     */
    boolean requestRemoval(String username);

    /** The accounts whose removal was requested and not yet done, oldest request first. */
    List<String> removalRequests();

    /** How many accounts there are. */
    default int count() {
        return usernames().size();
    }

    /** How many usernames contain {@code search} (all accounts when it is null or empty). */
    default int count(String search) {
        return (int) usernames().stream().filter(name -> search == null || name.contains(search)).count();
    }

    /**
     * A page of usernames in alphabetical order: those containing {@code search} (all when it is null or empty),
     * skipping {@code offset}, at most {@code limit}.
     */
    default List<String> usernames(String search, int offset, int limit) {
        return usernames().stream().sorted().filter(name -> search == null || name.contains(search))
                .skip(offset).limit(limit).toList();
    }
}
