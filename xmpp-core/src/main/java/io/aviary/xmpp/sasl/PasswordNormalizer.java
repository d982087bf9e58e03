package io.aviary.xmpp.sasl;

import rocks.xmpp.precis.PrecisProfiles;

/**
 * Normalize(str) of RFC 5802 §2.2. RFC 5802 names SASLprep (RFC 4013); RFC 7613, now RFC 8265,
 * obsoleted SASLprep in favour of the PRECIS OpaqueString profile (RFC 8265 §4.2), which is what we
 * apply (preparation and enforcement). It maps non-ASCII spaces to U+0020, applies NFC, and rejects
 * control and other disallowed code points and empty results. For ASCII passwords both agree.
 */
final class PasswordNormalizer {

    private PasswordNormalizer() {
    }

    /**
     * @throws IllegalArgumentException when the password contains code points OpaqueString
     *     disallows or is empty after normalisation; such a password can never match.
     */
    static String normalize(String password) {
        if (password == null) {
            throw new IllegalArgumentException("password must not be null");
        }
        // rocks.xmpp.precis throws InvalidCodePointException / InvalidDirectionalityException,
        // both IllegalArgumentExceptions, which is the contract stated above.
        return PrecisProfiles.OPAQUE_STRING.enforce(password);
    }
}
