package io.aviary.xmpp.sasl;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where the HT mechanisms ({@link HashedTokenServer}) find a user's tokens. Tokens are kept only as their SHA-256
 * hash, which is all HMAC-SHA-256 needs of a token longer than its 64-byte block (RFC 2104 §2: such a key is first
 * hashed), so the server never holds a usable token.
 */
@FunctionalInterface
public interface TokenVerifier {

    /**
     * The hash of {@code username}'s live token for {@code mechanism} that {@code proves} accepts, after recording its
     * use; empty when none does. May throw to refuse the attempt before any token is tried (the mechanism answers
     * {@code temporary-auth-failure}).
     */
    Optional<byte[]> verify(String username, String mechanism, Predicate<byte[]> proves);
}
