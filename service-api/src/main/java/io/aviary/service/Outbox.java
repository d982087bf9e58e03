package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;

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
}
