package io.aviary.xmpp.sasl;

import java.util.Optional;

/**
 * Where SASL mechanisms find stored SCRAM credentials; the account store implements it.
 * The server never holds or needs plaintext passwords (RFC 5802 §1: the stored keys are not
 * password equivalents for the purpose of impersonating the user to other servers).
 */
@FunctionalInterface
public interface CredentialLookup {

    /**
     * The credentials of {@code username} for {@code algorithm}, or empty when the user does not
     * exist or has no credentials for that hash. Must not throw for unknown users.
     *
     * @param username the already-normalised localpart (see {@link org.jxmpp.jid.parts.Localpart}).
     */
    Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm);
}
