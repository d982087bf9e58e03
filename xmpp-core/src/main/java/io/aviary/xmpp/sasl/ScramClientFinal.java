package io.aviary.xmpp.sasl;

/**
 * A parsed client-final-message (RFC 5802 §7):
 * <pre>
 * client-final-message-without-proof = channel-binding "," nonce ["," extensions]
 * client-final-message               = client-final-message-without-proof "," proof
 * channel-binding = "c=" base64    nonce = "r=" c-nonce [s-nonce]    proof = "p=" base64
 * </pre>
 *
 * @param channelBinding the {@code c=} value exactly as sent (base64 text).
 * @param nonce the {@code r=} value.
 * @param proof the {@code p=} value (base64 text, decoded by the server).
 * @param withoutProof client-final-message-without-proof exactly as sent, the end of AuthMessage.
 */
record ScramClientFinal(String channelBinding, String nonce, String proof, String withoutProof) {

    static ScramClientFinal parse(String message) throws SaslFailure {
        String[] attributes = message.split(",", -1);
        if (attributes.length < 3) {
            throw ScramClientFirst.malformed("client-final-message needs c=, r= and p=");
        }
        String last = attributes[attributes.length - 1];
        if (!attributes[0].startsWith("c=") || !attributes[1].startsWith("r=") || !last.startsWith("p=")) {
            throw ScramClientFirst.malformed("client-final-message must be c=, r=, [extensions,] p=");
        }
        for (int i = 2; i < attributes.length - 1; i++) {
            ScramClientFirst.checkExtension(attributes[i]);
        }
        String withoutProof = message.substring(0, message.length() - last.length() - 1);
        return new ScramClientFinal(attributes[0].substring(2), attributes[1].substring(2), last.substring(2), withoutProof);
    }
}
