package io.aviary.xmpp.stanza;

import io.aviary.xmpp.xml.XmlElement;

/** A stream-level error (RFC 6120 §4.9): sent as {@code <stream:error/>}, after which the stream is closed. */
public record StreamError(StreamErrorCondition condition, String text) {

    public static final String STREAMS_NAMESPACE = "http://etherx.jabber.org/streams";

    public StreamError(StreamErrorCondition condition) {
        this(condition, null);
    }

    /** The {@code <stream:error>} element; the caller writes it with the {@code stream} prefix. */
    public XmlElement toElement() {
        XmlElement.Builder error = XmlElement.builder("error", STREAMS_NAMESPACE)
                .child(XmlElement.empty(condition.elementName(), StreamErrorCondition.NAMESPACE));
        if (text != null) {
            error.child(XmlElement.builder("text", StreamErrorCondition.NAMESPACE)
                    .attribute(XmlElement.XML_LANG, "en").text(text).build());
        }
        return error.build();
    }
}
