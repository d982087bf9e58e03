package io.aviary.xmpp.xml;

/**
 * Hard limits enforced while parsing a stream; exceeding one ends the stream with
 * {@code policy-violation} (RFC 6120 §4.9.3.14).
 *
 * <p>Bytes alone do not bound memory: a small element ({@code <a/>}, 4 bytes) becomes an object of
 * a few dozen bytes, so a stanza is also limited in elements. A stream that is not authenticated
 * yet gets smaller limits ({@link #BEFORE_AUTHENTICATION}), so an anonymous peer costs little.
 *
 * @param maxStanzaBytes    bytes of one first-level element, from its start tag to its end tag
 * @param maxDepth          element depth below the stream root
 * @param maxAttributes     attributes on one element
 * @param maxStanzaElements elements in one first-level element, itself included
 */
public record ParserLimits(int maxStanzaBytes, int maxDepth, int maxAttributes, int maxStanzaElements) {

    public static final ParserLimits DEFAULTS = new ParserLimits(256 * 1024, 32, 64, 5000);

    /** What an unauthenticated stream needs: STARTTLS, SASL and an in-band registration form. */
    public static final ParserLimits BEFORE_AUTHENTICATION = new ParserLimits(16 * 1024, 32, 64, 100);

    public ParserLimits {
        if (maxStanzaBytes <= 0 || maxDepth <= 0 || maxAttributes <= 0 || maxStanzaElements <= 0) {
            throw new IllegalArgumentException("parser limits must be positive");
        }
    }

    /** Limits without an element count, for XML the server wrote or stored itself. */
    public ParserLimits(int maxStanzaBytes, int maxDepth, int maxAttributes) {
        this(maxStanzaBytes, maxDepth, maxAttributes, Integer.MAX_VALUE);
    }
}
