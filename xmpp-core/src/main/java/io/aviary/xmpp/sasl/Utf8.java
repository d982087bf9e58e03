package io.aviary.xmpp.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: SASL payloads are UTF-8 (RFC 4616 §2, RFC 5802 §7) and garbage must fail, not turn into U+FFFD. */
final class Utf8 {

    private Utf8() {
    }

    static String decode(byte[] bytes, int offset, int length) throws SaslFailure {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, "payload is not valid UTF-8", e);
        }
    }

    static String decode(byte[] bytes) throws SaslFailure {
        return decode(bytes, 0, bytes.length);
    }
}
