package io.aviary.xmpp.xml;

import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;

/**
 * Checks raw stream bytes, as they arrive and split anywhere, before any XML parser decodes them.
 *
 * <p>UTF-8 is checked strictly against the syntax of RFC 3629 §4: no overlong forms ({@code C0 80}
 * for U+0000, {@code E0 80 AF} for '/'), no surrogates ({@code ED A0 80}), nothing above U+10FFFF
 * ({@code F4 90 80 80}), no stray or missing continuation bytes; RFC 3629 §3: "Implementations of
 * the decoding algorithm above MUST protect against decoding invalid sequences." Such a stream gets
 * {@code unsupported-encoding}: RFC 6120 §4.9.3.22, the entity "has otherwise improperly encoded
 * the stream (e.g., by violating the rules of the [UTF-8] encoding)".
 *
 * <p>A well-encoded code point that is not an XML 1.0 {@code Char} (§2.2: {@code #x9 | #xA | #xD |
 * [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]}), such as U+0000 or U+FFFE, makes the stream
 * {@code not-well-formed} (RFC 6120 §4.9.3.13).
 */
final class Utf8Validator {

    /** Continuation bytes still expected for the current sequence. */
    private int remaining;
    /** Allowed range of the next continuation byte (narrower than 80..BF right after E0, ED, F0, F4). */
    private int lower = 0x80;
    private int upper = 0xBF;
    private int codePoint;

    /** Checks {@code bytes[start, end)}, continuing a sequence left open by the previous call. */
    void check(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if (remaining > 0) {
                if (b < lower || b > upper) {
                    throw badEncoding(b);
                }
                lower = 0x80;
                upper = 0xBF;
                codePoint = (codePoint << 6) | (b & 0x3F);
                if (--remaining == 0) {
                    checkChar(codePoint);
                }
            } else if (b < 0x80) {
                checkChar(b);
            } else {
                startSequence(b);
            }
        }
    }

    /** RFC 3629 §4: UTF8-2 = %xC2-DF UTF8-tail; UTF8-3 and UTF8-4 with their restricted second bytes. */
    private void startSequence(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            remaining = 1;
            codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            remaining = 2;
            codePoint = b & 0x0F;
            if (b == 0xE0) {
                lower = 0xA0; // below: overlong
            } else if (b == 0xED) {
                upper = 0x9F; // above: surrogates D800-DFFF
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            remaining = 3;
            codePoint = b & 0x07;
            if (b == 0xF0) {
                lower = 0x90; // below: overlong
            } else if (b == 0xF4) {
                upper = 0x8F; // above: beyond U+10FFFF
            }
        } else {
            // 80-BF without a lead byte, C0/C1 (always overlong), F5-FF (beyond U+10FFFF)
            throw badEncoding(b);
        }
    }

    private static void checkChar(int c) {
        boolean xmlChar = c >= 0x20 ? c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000
                : c == 0x9 || c == 0xA || c == 0xD;
        if (!xmlChar) {
            throw new XmppStreamException(StreamErrorCondition.NOT_WELL_FORMED,
                    String.format("U+%04X is not an XML character", c));
        }
    }

    private static XmppStreamException badEncoding(int b) {
        return new XmppStreamException(StreamErrorCondition.UNSUPPORTED_ENCODING,
                String.format("invalid UTF-8 (byte %02X)", b));
    }
}
