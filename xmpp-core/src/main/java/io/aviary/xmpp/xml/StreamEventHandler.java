package io.aviary.xmpp.xml;

/** Receives what the stream parser recognises, in order, on the thread that feeds it. */
public interface StreamEventHandler {

    /** The opening tag of the stream root arrived. */
    void streamOpened(StreamHeader header);

    /** A complete first-level element (stanza or nonza) arrived. */
    void element(XmlElement element);

    /** The closing tag of the stream root arrived. */
    void streamClosed();
}
