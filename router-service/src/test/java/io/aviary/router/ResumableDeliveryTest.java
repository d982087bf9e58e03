package io.aviary.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import io.aviary.router.archive.ServiceTopics;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Deliveries to XEP-0198 resumable sessions (design step 1), through the router on the in-process bus with the
 * in-memory registry and resumption store: queued with a position, only queued while hibernated, and a full queue
 * ends the session with its messages re-routed to offline storage. {@link RedisResumableDeliveryTest} runs the same with the cluster's
 * store, whose appends the router does not wait for.
 */
class ResumableDeliveryTest {

    private static final EntityFullJid BALCONY = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony");

    private final InProcessBus bus = new InProcessBus(2);
    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final FailingAppends store = new FailingAppends(newStore());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final BlockingQueue<BusMessage> gateway = new LinkedBlockingQueue<>();
    private final BlockingQueue<BusMessage> service = new LinkedBlockingQueue<>();
    private final StanzaRouter router;

    ResumableDeliveryTest() {
        DeliveryRules rules = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
                account -> Set.of("juliet", "romeo").contains(account.getLocalpart().toString()));
        router = new StanzaRouter(bus, rules, meters, List.of(), new SessionDeliveries(bus, store,
                new ExpiredSessions(registry, store, bus, meters, Clock.systemUTC()),
                new UndeliveredMessages(bus, meters, Clock.systemUTC()), meters),
                new ServiceTopics(new InMemoryCapabilityCatalogue()));
        router.start();
        bus.subscribe(Topics.gateway("gw1"), "gateway", gateway::add);
        bus.subscribe(Topics.SERVICE, "services", service::add);
    }

    ResumptionStore newStore() {
        return new InMemoryResumptionStore();
    }

    @AfterEach
    void stop() {
        router.close();
        bus.close();
    }

    void bindResumable(int maxQueue) {
        registry.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        registry.updatePresence(BALCONY, "c1", 0, true);
        registry.markResumable(BALCONY, "c1", "sm-1");
        store.open(new ResumableSession("sm-1", BALCONY, "gw1", "c1", Duration.ofMinutes(10), maxQueue));
    }

    void romeoSays(String body) {
        XmlElement message = XmlElement.builder("message", "jabber:client").attribute("from", "romeo@localhost/orchard")
                .attribute("to", BALCONY.toString()).attribute("type", "chat").textChild("body", body).build();
        bus.publish(Topics.ROUTE, "juliet@localhost", BusMessage.of(message));
    }

    static String body(XmlElement stanza) {
        return stanza.childText("body", "jabber:client").orElse(null);
    }

    @Test
    void aDeliveryToAResumableSessionIsQueuedFirstAndCarriesItsPosition() throws Exception {
        bindResumable(10);
        romeoSays("one");
        romeoSays("two");
        BusMessage first = gateway.poll(10, TimeUnit.SECONDS);
        BusMessage second = gateway.poll(10, TimeUnit.SECONDS);
        assertThat(first.header(BusMessage.POSITION)).isEqualTo("1");
        assertThat(second.header(BusMessage.POSITION)).isEqualTo("2");
        assertThat(second.header(BusMessage.CONNECTION)).isEqualTo("c1");
        assertThat(store.after("sm-1", 0)).extracting(QueuedStanza::position, q -> body(q.stanza()))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "one"), org.assertj.core.groups.Tuple.tuple(2L, "two"));
    }

    @Test
    void aHibernatedSessionsDeliveriesAreOnlyQueued() throws Exception {
        bindResumable(10);
        registry.hibernate(BALCONY, "c1");
        romeoSays("while away");
        romeoSays("still away");
        awaitQueued(2);
        assertThat(gateway.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSessionTheStoreNoLongerKnowsGetsPlainDeliveries() throws Exception {
        bindResumable(10);
        store.close("sm-1");
        romeoSays("plain");
        BusMessage delivery = gateway.poll(10, TimeUnit.SECONDS);
        assertThat(delivery).isNotNull();
        assertThat(delivery.headers()).doesNotContainKey(BusMessage.POSITION);
    }

    @Test
    void aHibernatedSessionsMessageWhoseAppendFailedIsQueuedOnceTheStoreAnswers() throws Exception {
        bindResumable(10);
        registry.hibernate(BALCONY, "c1");
        store.failNext(1);
        romeoSays("during the failover");

        // Handed over as undeliverable: to the account again, which finds the session and queues it this time.
        awaitQueued(1);
        XmlElement queued = store.after("sm-1", 0).get(0).stanza();
        assertThat(body(queued)).isEqualTo("during the failover");
        assertThat(queued.child("delay", "urn:xmpp:delay")).isPresent();
        assertThat(gateway.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aConnectedSessionsStanzaWhoseAppendFailedIsDeliveredWithoutAPosition() throws Exception {
        bindResumable(10);
        store.failNext(1);
        romeoSays("unqueued");
        BusMessage delivery = gateway.poll(10, TimeUnit.SECONDS);
        assertThat(body(delivery.stanza())).isEqualTo("unqueued");
        assertThat(delivery.headers()).doesNotContainKey(BusMessage.POSITION);
        assertThat(store.after("sm-1", 0)).isEmpty();
        assertThat(meters.counter("xmpp.sm.deliveries.unqueued").count()).isEqualTo(1);
    }

    @Test
    void aFullQueueEndsTheSessionAndItsMessagesGoOffline() throws Exception {
        bindResumable(2);
        registry.hibernate(BALCONY, "c1");
        romeoSays("one");
        romeoSays("two");
        romeoSays("three");

        // All three reach the offline store (the service topic) addressed to the bare JID, with a delay stamp.
        List<XmlElement> offline = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (offline.size() < 3 && System.nanoTime() < deadline) {
            BusMessage next = service.poll(100, TimeUnit.MILLISECONDS);
            if (next != null && next.stanza().name().equals("message")) {
                offline.add(next.stanza());
            }
        }
        assertThat(offline).extracting(ResumableDeliveryTest::body).containsExactly("one", "two", "three");
        assertThat(offline).allSatisfy(m -> {
            assertThat(m.attributeOrNull("to")).isEqualTo("juliet@localhost");
            assertThat(m.child("delay", "urn:xmpp:delay")).isPresent();
        });
        assertThat(registry.session(BALCONY)).isEmpty();
        assertThat(store.state("sm-1")).isEmpty();
        assertThat(meters.counter("xmpp.sm.sessions.ended", "reason", "overflow").count()).isEqualTo(1);
        assertThat(meters.counter("xmpp.sm.rerouted", "source", "overflow").count()).isEqualTo(1);
        assertThat(gateway).isEmpty();
    }

    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.after("sm-1", 0).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.after("sm-1", 0)).hasSize(count);
    }
}
