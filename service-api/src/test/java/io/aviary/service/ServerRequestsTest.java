package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

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

    @Test
    void repliesToIqsSentWithThisTopicsReplyIdReachTheIqHandlersAndNothingElseDoes() throws Exception {
        IqHandler handler = new IqHandler() {
            @Override
            public String namespace() {
                return "urn:example:notify";
            }

            @Override
            public Stanza handle(Stanza iq) {
                return iq.iqResult(null);
            }

            @Override
            public void handleReply(Stanza reply) {
                seen.add("reply " + reply.type() + " " + reply.id());
            }
        };
        ServerRequests requests = new ServerRequests(bus, Topics.ARCHIVE, "archive", List.of(handler), List.of(), List.of());
        requests.start();
        BlockingQueue<XmlElement> replies = new LinkedBlockingQueue<>();
        bus.subscribe(Topics.ROUTE, "test", m -> replies.add(m.stanza()));

        bus.publish(Topics.ARCHIVE, "juliet@localhost", BusMessage.of(stanza("iq", "result")));
        bus.publish(Topics.ARCHIVE, "juliet@localhost", BusMessage.of(stanza("iq", "result")
                .withAttribute("id", Topics.replyId(Topics.SERVICE, "n0"))));
        bus.publish(Topics.ARCHIVE, "juliet@localhost", BusMessage.of(stanza("iq", "result")
                .withAttribute("id", Topics.replyId(Topics.ARCHIVE, "n1"))));
        bus.publish(Topics.ARCHIVE, "juliet@localhost", BusMessage.of(stanza("iq", "error")
                .withAttribute("id", Topics.replyId(Topics.ARCHIVE, "n2"))));

        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("reply result xmpp.archive~n1");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("reply error xmpp.archive~n2");
        assertThat(seen.poll(200, TimeUnit.MILLISECONDS)).as("replies with other ids are dropped").isNull();
        assertThat(replies.poll(200, TimeUnit.MILLISECONDS)).as("a reply is never answered").isNull();
        requests.close();
    }

    @Test
    void everyStanzaForAHostedServiceGoesToItsHandlerAndNoOtherHandlerSeesIt() throws Exception {
        DomainBareJid upload = JidCreate.domainBareFromOrThrowUnchecked("upload.localhost");
        IqHandler version = new IqHandler() {
            @Override
            public String namespace() {
                return "jabber:iq:version";
            }

            @Override
            public Stanza handle(Stanza iq) {
                seen.add("version handler");
                return iq.iqResult(null);
            }
        };
        MessageHandler messages = message -> seen.add("message handler");
        CapabilityRegistry.Handlers handlers = new CapabilityRegistry.Handlers(Map.of(version.namespace(), version),
                List.of(), List.of(messages), Map.of(upload, (stanza, delivery) -> seen.add(stanza.element().name()
                        + " " + stanza.type() + " to " + stanza.toAttribute())));
        ServerRequests requests = new ServerRequests(bus, "xmpp.upload", "upload", handlers);
        requests.start();
        BlockingQueue<XmlElement> replies = new LinkedBlockingQueue<>();
        bus.subscribe(Topics.ROUTE, "test", m -> replies.add(m.stanza()));

        XmlElement versionQuery = XmlElement.empty("query", "jabber:iq:version");
        bus.publish("xmpp.upload", "upload.localhost", BusMessage.of(stanza("iq", "get")
                .withAttribute("to", "upload.localhost").withChild(versionQuery)));
        bus.publish("xmpp.upload", "room@upload.localhost", BusMessage.of(stanza("message", "chat")
                .withAttribute("to", "room@upload.localhost/nick")));
        bus.publish("xmpp.upload", "upload.localhost", BusMessage.of(stanza("iq", "result")
                .withAttribute("to", "upload.localhost")));
        bus.publish("xmpp.upload", "localhost", BusMessage.of(stanza("iq", "get").withAttribute("to", "localhost")
                .withChild(versionQuery)));

        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("iq get to upload.localhost");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("message chat to room@upload.localhost/nick");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("iq result to upload.localhost");
        assertThat(seen.poll(5, TimeUnit.SECONDS)).as("an IQ to the domain still goes by namespace")
                .isEqualTo("version handler");
        assertThat(replies.poll(5, TimeUnit.SECONDS).attributeOrNull("to")).isEqualTo("juliet@localhost/balcony");
        assertThat(replies.poll(200, TimeUnit.MILLISECONDS)).as("the service's handler answers for itself").isNull();
        requests.close();
    }
}
