package io.aviary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bustest.RoutedStanzas;
import io.aviary.clocktest.MutableClock;
import io.aviary.service.Outbox;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Offline storage when the bus delivers a message twice (a roster service died before committing, and the next
 * one stored the message again, a little later): the user gets it once. Messages without an id can't be told
 * from a second message with the same text, so both stay.
 */
class OfflineMessagesTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("localhost");

    private final InProcessBus bus = new InProcessBus(1);
    private final RoutedStanzas routed = new RoutedStanzas(bus);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
    private final OfflineMessages offline = new OfflineMessages(DOMAIN, new InMemoryOfflineStore(), new Outbox(bus),
            100, clock, new InMemorySessionRegistry(), username -> true);

    @AfterEach
    void close() {
        bus.close();
    }

    private static Stanza message(String id, String body) {
        XmlElement.Builder message = XmlElement.builder("message", "jabber:client")
                .attribute("from", "romeo@localhost/orchard").attribute("to", "juliet@localhost").attribute("type", "chat");
        if (id != null) {
            message.attribute("id", id);
        }
        return Stanza.of(message.textChild("body", body).build()).orElseThrow();
    }

    @Test
    void aMessageStoredTwiceByRedeliveryIsDeliveredOnce() throws Exception {
        offline.handleMessage(message("m1", "Wherefore art thou?"));
        offline.handleMessage(message(null, "ok"));
        clock.advance(Duration.ofSeconds(12));
        offline.handleMessage(message("m1", "Wherefore art thou?")); // the redelivered copy
        offline.handleMessage(message(null, "ok")); // a second "ok": nothing tells it from the first
        offline.handleMessage(message("m2", "Wherefore art thou?")); // the same words, another message

        offline.resourceReachable(JidCreate.entityFullFrom("juliet@localhost/balcony"));

        List<String> delivered = new ArrayList<>();
        for (XmlElement next : routed.drain()) {
            delivered.add(next.attribute("id").orElse("-") + " " + next.child("body", "jabber:client").orElseThrow().text());
        }
        assertThat(delivered).containsExactly("m1 Wherefore art thou?", "- ok", "- ok", "m2 Wherefore art thou?");
    }
}
