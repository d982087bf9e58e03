package io.aviary.xmpp.xml;

/**
 * Hard limits enforced while parsing a stream; exceeding one ends the stream with
 * {@code policy-violation} (RFC 6120 §4.9.3.14).
 *
 * @param maxStanzaBytes bytes of one first-level element, from its start tag to its end tag
 * @param maxDepth       element depth below the stream root
 * @param maxAttributes  attributes on one element
 */
public record ParserLimits(int maxStanzaBytes, int maxDepth, int maxAttributes) {

    public static final ParserLimits DEFAULTS = new ParserLimits(256 * 1024, 32, 64);

    public ParserLimits {
        if (maxStanzaBytes <= 0 || maxDepth <= 0 || maxAttributes <= 0) {
            throw new IllegalArgumentException("parser limits must be positive");
        }
    }
}
