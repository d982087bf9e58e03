package io.aviary.xmpp.sasl;

import java.util.Optional;

/**
 * The server half of one SASL mechanism for one authentication exchange (RFC 4422 §3, RFC 6120 §6.4).
 * Instances are single-use and not thread-safe: one per {@code <auth/>}.
 *
 * <p>The caller owns the XMPP framing: it base64-decodes the element text (answering
 * {@code incorrect-encoding} itself if that fails) and passes the bytes here.
 */
public interface SaslServerMechanism {

    /** The registered mechanism name, e.g. {@code SCRAM-SHA-256-PLUS}. */
    String name();

    /**
     * Processes the client's next message and returns the server's turn.
     *
     * @param clientResponse the decoded payload. For the first call (the {@code <auth/>} element)
     *     {@code null} means "no initial response" (empty element) and an empty array means
     *     "empty initial response" (the single character {@code =}), per RFC 6120 §6.4.2.
     * @throws SaslFailure when the exchange fails; the mechanism is then unusable.
     * @throws IllegalStateException when called after the exchange has completed or failed.
     */
    SaslStep evaluate(byte[] clientResponse) throws SaslFailure;

    /** True once {@link #evaluate} has returned a completed step. */
    boolean isComplete();

    /**
     * The authenticated user's normalised localpart (RFC 6120 §6.3.7 simple user name).
     *
     * @throws IllegalStateException before successful completion.
     */
    String authenticatedUsername();

    /**
     * The authorization identity the client asked for, normalised as a bare JID. Present only if
     * the client sent one; it is then always the user's own bare JID (anything else fails with
     * {@code invalid-authzid}).
     *
     * @throws IllegalStateException before successful completion.
     */
    Optional<String> authorizationId();
}
