package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dispatch of the service topic: IQs by namespace, presence and messages to every handler. */
class ServerRequestsTest {

    private final InProcessBus bus = new InProcessBus(1);
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        bus.close();
    }

    private static XmlElement stanza(String kind, String type) {
        return XmlElement.builder(kind, "jabber:client").attribute("type", type).attribute("id", "x1")
                .attribute("from", "juliet@localhost/balcony").build();
    }

    @Test
    void presenceAndMessagesReachEveryHandlerEvenAfterOneFails() throws Exception {
        PresenceHandler failing = presence -> {
            throw new IllegalStateException("broken handler");
        };
        PresenceHandler recording = presence -> seen.add("presence " + presence.type());
        MessageHandler messages = message -> seen.add("message " + message.type());
        ServerRequests requests = new ServerRequests(bus, Topics.SERVICE, "server-requests", List.of(), List.of(failing, recording), List.of(messages));
        requests.start();
        BlockingQueue<XmlElement> replies = new LinkedBlockingQueue<>();
        bus.subscribe(Topics.ROUTE, "test", m -> replies.add(m.stanza()));

        bus.publish(Topics.SERVICE, "juliet@localhost", BusMessage.of(stanza("presence", "subscribe")));
        bus.publish(Topics.SERVICE, "juliet@localhost", BusMessage.of(stanza("message", "chat")));

        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("presence subscribe");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("message chat");
        assertThat(replies.poll(200, TimeUnit.MILLISECONDS)).as("presence and messages get no automatic reply").isNull();
        requests.close();
    }

    @Test
    void anIqNobodyHandlesIsServiceUnavailable() {
        ServerRequests requests = new ServerRequests(bus, Topics.SERVICE, "server-requests", List.of(), List.of(), List.of());
        Stanza iq = Stanza.of(stanza("iq", "get").withChild(XmlElement.empty("query", "urn:example:unknown"))).orElseThrow();

        Stanza reply = requests.reply(iq);

        assertThat(reply.type()).isEqualTo("error");
        assertThat(reply.element().toXml()).contains("service-unavailable");
    }
}
