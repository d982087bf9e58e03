package io.aviary.xmpp.sasl;

/**
 * A parsed client-first-message (RFC 5802 §7):
 * <pre>
 * client-first-message      = gs2-header client-first-message-bare
 * gs2-header                = gs2-cbind-flag "," [ authzid ] ","
 * gs2-cbind-flag            = ("p=" cb-name) / "n" / "y"
 * client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
 * </pre>
 *
 * @param cbindFlag 'n' (client does not support channel binding), 'y' (client supports it but
 *     thinks the server does not), or 'p' (client uses binding {@code cbName}).
 * @param cbName the channel binding type for 'p', otherwise null.
 * @param authzid the decoded authzid, or null when absent.
 * @param username the decoded, not yet normalised, username.
 * @param gs2Header the header exactly as sent, needed to check {@code c=} later.
 * @param bare client-first-message-bare exactly as sent, the start of AuthMessage.
 */
record ScramClientFirst(char cbindFlag, String cbName, String authzid, String username, String clientNonce,
        String gs2Header, String bare) {

    static ScramClientFirst parse(String message) throws SaslFailure {
        int firstComma = message.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : message.indexOf(',', firstComma + 1);
        if (secondComma < 0) {
            throw malformed("missing gs2-header");
        }
        String flag = message.substring(0, firstComma);
        char cbindFlag;
        String cbName = null;
        if (flag.equals("n") || flag.equals("y")) {
            cbindFlag = flag.charAt(0);
        } else if (flag.startsWith("p=") && ChannelBinding.isValidName(flag.substring(2))) {
            cbindFlag = 'p';
            cbName = flag.substring(2);
        } else {
            throw malformed("invalid gs2-cbind-flag");
        }
        String authzPart = message.substring(firstComma + 1, secondComma);
        String authzid = null;
        if (!authzPart.isEmpty()) {
            if (!authzPart.startsWith("a=")) {
                throw malformed("invalid authzid in gs2-header");
            }
            authzid = SaslNames.decode(authzPart.substring(2));
        }
        String gs2Header = message.substring(0, secondComma + 1);
        String bare = message.substring(secondComma + 1);

        String[] attributes = bare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            // RFC 5802 §5.1, m: "In this version of SCRAM, its presence in a client or a server
            // message MUST cause authentication failure when the attribute is parsed by the other end."
            throw malformed("unsupported mandatory extension");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw malformed("client-first-message-bare must start with n= and r=");
        }
        String username = SaslNames.decode(attributes[0].substring(2));
        String nonce = attributes[1].substring(2);
        checkNonce(nonce);
        for (int i = 2; i < attributes.length; i++) {
            checkExtension(attributes[i]);
        }
        return new ScramClientFirst(cbindFlag, cbName, authzid, username, nonce, gs2Header, bare);
    }

    /** RFC 5802 §7: c-nonce = printable, i.e. %x21-2B / %x2D-7E — visible ASCII except ','. */
    static void checkNonce(String nonce) throws SaslFailure {
        if (nonce.isEmpty()) {
            throw malformed("empty nonce");
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw malformed("nonce contains a non-printable character");
            }
        }
    }

    /** RFC 5802 §7: extensions = attr-val *("," attr-val); attr-val = ALPHA "=" value. Unknown ones are ignored. */
    static void checkExtension(String attribute) throws SaslFailure {
        if (attribute.length() < 2 || !isAlpha(attribute.charAt(0)) || attribute.charAt(1) != '=') {
            throw malformed("malformed attribute");
        }
    }

    private static boolean isAlpha(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static SaslFailure malformed(String message) {
        return new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, message);
    }
}
