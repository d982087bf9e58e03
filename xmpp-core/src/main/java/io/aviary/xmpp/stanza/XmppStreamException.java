package io.aviary.xmpp.stanza;

/** Raised where the stream itself must end with a stream error. */
public class XmppStreamException extends RuntimeException {
    private final StreamError error;

    public XmppStreamException(StreamErrorCondition condition, String text) {
        super(condition.elementName() + (text == null ? "" : ": " + text));
        this.error = new StreamError(condition, text);
    }

    public XmppStreamException(StreamErrorCondition condition, String text, Throwable cause) {
        this(condition, text);
        initCause(cause);
    }

    public StreamError error() {
        return error;
    }
}
