package io.aviary.gateway.sasl2;

import io.aviary.gateway.stream.ClientSession;
import org.jxmpp.jid.EntityFullJid;

/**
 * The session a Bind2 request has just bound, for {@link Bind2Feature}s: its full JID and connection id (the keys of
 * its registry entry) and its stream, whose state the feature may set up (from the stream's own thread through
 * {@code ClientSession}'s methods; the stream reads no input until {@code <success/>} has been written).
 */
public record BoundSession(EntityFullJid jid, String connectionId, ClientSession stream) {
}
