package io.aviary.account;

import java.time.Instant;
import java.util.List;

/**
 * XEP-0484 FAST tokens of each account, by client, in the two slots of XEP-0484 §6.1. Only hashes are stored.
 * Every account has at most a bounded number of clients with tokens; the one that got its token longest ago
 * makes room.
 */
public interface FastTokenStore {

    /** The client's tokens, the {@link FastToken.Slot#NEW} one first. */
    List<FastToken> tokens(String username, String client);

    /**
     * Puts {@code token} into its client's NEW slot, replacing a token issued there and never used (XEP-0484 §4.5:
     * "SHOULD invalidate any tokens previously generated that have not been used"); drops expired tokens of the
     * account and the tokens of its clients beyond {@code maxClients}.
     */
    void issue(FastToken token, int maxClients, Instant now);

    /**
     * {@code token} authenticated with replay counter {@code count} (-1: none sent). A NEW token moves to CURRENT,
     * replacing the older one (XEP-0484 §4.5: tokens with an earlier expiry become invalid once a later one is used).
     * False, changing nothing, when the token is no longer stored as it was read or {@code count} is not above its
     * last one: a replay or a race with another login.
     */
    boolean used(FastToken token, long count);

    /** Invalidates one token (XEP-0484 §4.6). */
    void revoke(FastToken token);

    /** Invalidates every token of the account: its password changed or it was removed. */
    void revokeAll(String username);
}
