package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityFullJid;

/** Stanzas the server itself sends (roster pushes, presence on a user's behalf, errors), routed like a client's. */
public final class Outbox {

    private final StanzaBus bus;

    public Outbox(StanzaBus bus) {
        this.bus = bus;
    }

    public void send(XmlElement stanza) {
        Stanza.of(stanza).ifPresent(s -> bus.publish(Topics.ROUTE, StanzaKeys.routeKey(s), BusMessage.of(stanza)));
    }

    public void send(Stanza stanza) {
        send(stanza.element());
    }

    /**
     * RFC 6121 §4.6: a session ended without the client's unavailable presence (its stream closed, its gateway
     * died), so the server sends it on the user's behalf. Also when the resource never was available: the
     * presence service then only forgets the session's state (its interest in roster pushes).
     */
    public void sessionEnded(EntityFullJid resource) {
        send(XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE)
                .attribute("from", resource.toString()).attribute("type", "unavailable").build());
    }
}
