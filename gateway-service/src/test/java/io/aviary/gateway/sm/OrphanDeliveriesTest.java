package io.aviary.gateway.sm;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Deliveries that reach a gateway for a connection of it that is gone while its session is resumable (the router's
 * view of the registry was stale): queued for the resumption, or, when the store cannot queue them, given back to
 * the router as undeliverable instead of dropped.
 */
class OrphanDeliveriesTest {

    private final InProcessBus bus = new InProcessBus(1);
    private final InMemoryResumptionStore store = new InMemoryResumptionStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StreamManagement streamManagement = new StreamManagement(StreamManagementProperties.defaults(),
            store, new InMemorySessionRegistry(), bus, "gw1", new SmMetrics(meters),
            new UndeliveredMessages(bus, meters, Clock.systemUTC()), Clock.systemUTC());
    private final BlockingQueue<BusMessage> routed = new LinkedBlockingQueue<>();

    OrphanDeliveriesTest() {
        bus.subscribe(Topics.ROUTE, "router", routed::add);
        store.open(new ResumableSession("sm-1", JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony"),
                "gw1", "c1", Duration.ofMinutes(10), 10));
        streamManagement.orphaned("c1", "sm-1", Clock.systemUTC().instant().plusSeconds(600));
    }

    @AfterEach
    void stop() {
        streamManagement.close();
        bus.close();
    }

    private static BusMessage delivery(XmlElement stanza) {
        return new BusMessage(stanza, Map.of(BusMessage.TARGET, "juliet@localhost/balcony", BusMessage.CONNECTION, "c1"));
    }

    private static XmlElement message(String body) {
        return XmlElement.builder("message", "jabber:client").attribute("from", "romeo@localhost/orchard")
                .attribute("to", "juliet@localhost/balcony").attribute("type", "chat").textChild("body", body).build();
    }

    @Test
    void aDeliveryToAGoneConnectionIsQueuedForItsResumption() throws Exception {
        assertThat(streamManagement.deliverToOrphan("c1", delivery(message("queued")))).isTrue();
        assertThat(store.after("sm-1", 0)).extracting(QueuedStanza::stanza)
                .extracting(s -> s.childText("body", "jabber:client").orElse(null)).containsExactly("queued");
        assertThat(routed.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aMessageTheStoreCannotQueueGoesToTheAccountAgain() throws Exception {
        store.close("sm-1"); // the session ended (its reaper re-routed its queue) before this delivery came

        assertThat(streamManagement.deliverToOrphan("c1", delivery(message("late")))).isTrue();

        BusMessage again = routed.poll(10, TimeUnit.SECONDS);
        assertThat(again).isNotNull();
        assertThat(again.stanza().attributeOrNull("to")).isEqualTo("juliet@localhost");
        assertThat(again.stanza().childText("body", "jabber:client")).contains("late");
        assertThat(again.stanza().child("delay", "urn:xmpp:delay")).isPresent();
    }

    @Test
    void anIqRequestTheStoreCannotQueueIsAnsweredWithAnError() throws Exception {
        store.close("sm-1");
        XmlElement request = XmlElement.builder("iq", "jabber:client").attribute("from", "romeo@localhost/orchard")
                .attribute("to", "juliet@localhost/balcony").attribute("type", "get").attribute("id", "v1")
                .child(XmlElement.builder("query", "jabber:iq:version").build()).build();

        streamManagement.deliverToOrphan("c1", delivery(request));

        BusMessage answer = routed.poll(10, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        assertThat(answer.stanza().attributeOrNull("type")).isEqualTo("error");
        assertThat(answer.stanza().attributeOrNull("to")).isEqualTo("romeo@localhost/orchard");
        assertThat(answer.stanza().attributeOrNull("id")).isEqualTo("v1");
    }

    @Test
    void aConnectionThatHeldNoResumableSessionIsNotAnOrphan() {
        assertThat(streamManagement.deliverToOrphan("c2", delivery(message("elsewhere")))).isFalse();
    }
}
