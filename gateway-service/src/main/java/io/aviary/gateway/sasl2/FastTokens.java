package io.aviary.gateway.sasl2;

import io.aviary.account.FastToken;
import io.aviary.account.FastTokenStore;
import io.aviary.gateway.stream.LoginAttempt;
import io.aviary.xmpp.sasl.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * XEP-0484 FAST tokens: issued after a successful login, checked by the HT mechanisms, rotated and invalidated by the
 * rules of XEP-0484 §4.5-§4.6 and §6.1. A token is 82 ASCII bytes, longer than HMAC-SHA-256's 64-byte block, so
 * RFC 2104 §2 hashes it before use as a key: the SHA-256 hash the store keeps is all the server needs, and a copy of
 * the table gives no one a token.
 */
final class FastTokens {

    /** RFC 8959 secret-token URI prefix, so scanners recognise a leaked token. */
    private static final String PREFIX = "secret-token:fast-";
    private static final int RANDOM_BYTES = 48;

    /** A token for the client, which it will not see again. */
    record Issued(String token, Instant expiry) {
    }

    private final FastTokenStore store;
    private final Sasl2Properties properties;
    private final SecureRandom random;
    private final Clock clock;

    FastTokens(FastTokenStore store, Sasl2Properties properties, SecureRandom random, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.random = random;
        this.clock = clock;
    }

    /** The key tokens are stored under for a client: its user-agent id is not kept either. */
    static String client(String userAgentId) {
        return HexFormat.of().formatHex(sha256(userAgentId.getBytes(StandardCharsets.UTF_8)));
    }

    Issued issue(String username, String client, String mechanism) {
        byte[] secret = new byte[RANDOM_BYTES];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expiry = now.plus(properties.fastTokenLifetime());
        store.issue(new FastToken(username, client, FastToken.Slot.NEW, mechanism,
                sha256(token.getBytes(StandardCharsets.US_ASCII)), now, expiry, -1), properties.fastClientsPerAccount(), now);
        return new Issued(token, expiry);
    }

    /** Whether a token used now is in the second half of its life, so a fresh one goes with the success. */
    boolean dueForRotation(FastToken used) {
        Duration left = Duration.between(clock.instant(), used.expires());
        return left.compareTo(properties.fastTokenLifetime().dividedBy(2)) < 0;
    }

    /**
     * One FAST login attempt of {@code client}: {@code count} is the XEP-0484 replay counter (-1 when none was sent);
     * with {@code invalidate} the token is revoked once it has authenticated (XEP-0484 §4.6).
     */
    Attempt attempt(String client, long count, boolean invalidate, LoginAttempt login) {
        return new Attempt(client, count, invalidate, login);
    }

    /** The tokens one login tries, and the one that matched. */
    final class Attempt implements TokenVerifier {

        private final String client;
        private final long count;
        private final boolean invalidate;
        private final LoginAttempt login;
        private FastToken matched;

        private Attempt(String client, long count, boolean invalidate, LoginAttempt login) {
            this.client = client;
            this.count = count;
            this.invalidate = invalidate;
            this.login = login;
        }

        @Override
        public Optional<byte[]> verify(String username, String mechanism, Predicate<byte[]> proves) {
            login.admit(username);
            if (client == null) {
                return Optional.empty(); // XEP-0484 §5.1: tokens are per client, named by the user-agent id
            }
            Instant now = clock.instant();
            // XEP-0484 §6.1: the NEW slot first, then CURRENT; each bound to its mechanism and expiry.
            for (FastToken token : store.tokens(username, client)) {
                if (!token.mechanism().equals(mechanism) || !token.expires().isAfter(now) || !proves.test(token.hash())) {
                    continue;
                }
                if (count >= 0 && count <= token.lastCount()) {
                    return Optional.empty(); // a replayed attempt (XEP-0484 §4.4)
                }
                if (invalidate) {
                    store.revoke(token);
                } else if (!store.used(token, count)) {
                    return Optional.empty(); // another login with the same counter got there first
                }
                matched = token;
                return Optional.of(token.hash());
            }
            return Optional.empty();
        }

        /** The token that authenticated, once one has. */
        Optional<FastToken> matched() {
            return Optional.ofNullable(matched);
        }
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
