package io.aviary.gateway.sm;

import io.aviary.xmpp.xml.XmlElement;

/**
 * A step of a stream's delivery path after the {@link Sequencer}: the XEP-0352 filter, and last the writer. Each
 * stanza handed here ends in {@link ManagedStream#written} or {@link ManagedStream#discarded} with its position (0 for
 * a stream without resumption). Called on the connection's thread.
 */
@FunctionalInterface
public interface Downstream {

    void accept(long position, XmlElement stanza);
}
