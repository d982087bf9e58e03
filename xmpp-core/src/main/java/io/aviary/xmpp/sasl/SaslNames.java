package io.aviary.xmpp.sasl;

/**
 * The saslname encoding of RFC 5802 §5.1 used by SCRAM's {@code n=} and {@code a=}: ',' travels
 * as "=2C" and '=' as "=3D"; "If the server receives a username that contains '=' not followed by
 * either '2C' or '3D', then the server MUST fail the authentication."
 */
final class SaslNames {

    private SaslNames() {
    }

    /**
     * Decodes a saslname. The caller has already split on ',', so the value contains none.
     *
     * @throws SaslFailure malformed-request for bad escapes, NUL (excluded from value-safe-char,
     *     RFC 5802 §7), or an empty name.
     */
    static String decode(String saslname) throws SaslFailure {
        if (saslname.isEmpty()) {
            throw malformed("empty saslname");
        }
        StringBuilder out = new StringBuilder(saslname.length());
        for (int i = 0; i < saslname.length(); i++) {
            char c = saslname.charAt(i);
            if (c == '=') {
                if (saslname.startsWith("2C", i + 1)) {
                    out.append(',');
                } else if (saslname.startsWith("3D", i + 1)) {
                    out.append('=');
                } else {
                    throw malformed("invalid '=' escape in saslname");
                }
                i += 2;
            } else if (c == '\0' || c == ',') {
                throw malformed("forbidden character in saslname");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Encodes a name as saslname (used by tests and any future client side). */
    static String encode(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    private static SaslFailure malformed(String message) {
        return new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, message);
    }
}
