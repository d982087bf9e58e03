package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Collection;
import java.util.Map;
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
     * A service's {@code stanza} to each of {@code recipients} (a room's broadcast, XEP-0045 §7.4) as one route record
     * ({@link BusMessage#RECIPIENTS}) instead of one per recipient; the router batches the deliveries per gateway. It is
     * keyed by the sender, so all that one sender multicasts stays in order on one lane of each topic.
     */
    public void multicast(XmlElement stanza, Collection<String> recipients) {
        if (recipients.isEmpty()) {
            return;
        }
        bus.publish(Topics.ROUTE, StanzaKeys.bareOf(stanza.attributeOrNull("from")),
                new BusMessage(stanza.withAttribute("to", null), Map.of(BusMessage.RECIPIENTS, String.join("\n", recipients))));
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

    /**
     * RFC 6121 §4.6.3: the resource went unavailable or its session ended, so its directed presence ends too: each
     * JID it sent available presence to directly (a chat room, a user outside its roster) gets its unavailable
     * presence. Without this a room keeps a session that ended without leaving it as an occupant. A target that is
     * also a subscribed contact may get the unavailable presence twice, which is harmless.
     */
    public void directedPresenceEnded(EntityFullJid resource, Collection<String> targets) {
        for (String target : targets) {
            send(XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE).attribute("from", resource.toString())
                    .attribute("to", target).attribute("type", "unavailable").build());
        }
    }
}
