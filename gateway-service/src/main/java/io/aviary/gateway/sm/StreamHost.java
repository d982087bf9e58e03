package io.aviary.gateway.sm;

import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityFullJid;

/** What stream management needs from the client stream it manages ({@code ClientSession}). */
public interface StreamHost {

    Transport transport();

    String connectionId();

    /** The bound full JID, null before binding (or resumption) and after the session ended. */
    EntityFullJid jid();

    /**
     * Writes a stanza to the client, the last step of the delivery path, followed in the same write by {@code nonza}
     * when not null (a stream-management request: one TLS record and one packet for both, not two).
     */
    void writeStanza(XmlElement stanza, XmlElement nonza);

    /** Ends the stream with {@code error}, adding {@code applicationCondition} (may be null) to it (RFC 6120 §4.9.4). */
    void fail(StreamError error, XmlElement applicationCondition);

    /** Closes the connection without a stream error and without ending the session (it hibernates). */
    void connectionLost();

    /** A resumption took over the session of {@code jid}: the stream is bound to it now. */
    void resumed(EntityFullJid jid);
}
