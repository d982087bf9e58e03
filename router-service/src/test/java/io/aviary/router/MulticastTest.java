package io.aviary.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import io.aviary.router.archive.ServiceTopics;
import io.aviary.service.Outbox;
import io.aviary.service.StanzaFilter;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * A service's multicast ({@link Outbox#multicast}: a room's broadcast) through the router on the in-process bus: one
 * route record becomes one record per gateway with the copies for that gateway's sessions (each with its own
 * connection and, for a resumable session, its position), which the gateway takes apart; each copy passes the filters
 * and delivery rules as if sent alone (an unavailable resource's error goes back to the room, a blocked one is dropped).
 */
class MulticastTest {

    private static final String ROOM = "lounge@conference.localhost/romeo";

    private final InProcessBus bus = new InProcessBus(2);
    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final InMemoryResumptionStore store = new InMemoryResumptionStore();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BlockingQueue<BusMessage> gateway1 = new LinkedBlockingQueue<>();
    private final BlockingQueue<BusMessage> gateway2 = new LinkedBlockingQueue<>();
    private final StanzaRouter router;

    MulticastTest() {
        DeliveryRules rules = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
                account -> true);
        // Mallory blocked the room (XEP-0191 is such a filter): his copy is dropped, the others are not.
        StanzaFilter blocking = stanza -> "mallory@localhost/pc".equals(stanza.toAttribute())
                ? new StanzaFilter.Drop("blocked") : StanzaFilter.PASS;
        router = new StanzaRouter(bus, rules, meters, List.of(blocking), new SessionDeliveries(bus, store,
                new ExpiredSessions(registry, store, bus, meters, Clock.systemUTC()),
                new UndeliveredMessages(bus, meters, Clock.systemUTC()), meters),
                new ServiceTopics(new InMemoryCapabilityCatalogue()));
        router.start();
        bus.subscribe(Topics.gateway("gw1"), "gateway-1", gateway1::add);
        bus.subscribe(Topics.gateway("gw2"), "gateway-2", gateway2::add);
    }

    @AfterEach
    void stop() {
        router.close();
        bus.close();
    }

    private void bind(String jid, String gateway, String connection) {
        EntityFullJid full = JidCreate.entityFullFromOrThrowUnchecked(jid);
        registry.bind(SessionEntry.bound(full, gateway, connection));
        registry.updatePresence(full, connection, 0, true);
    }

    @Test
    void oneRecordPerGatewayCarriesEveryCopyForItAndEachCopyArrivesAsIfSentAlone() throws Exception {
        bind("juliet@localhost/balcony", "gw1", "c1");
        bind("nurse@localhost/kitchen", "gw1", "c2");
        bind("tybalt@localhost/street", "gw2", "c3");
        bind("mallory@localhost/pc", "gw2", "c4");
        EntityFullJid balcony = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony");
        registry.markResumable(balcony, "c1", "sm-1");
        store.open(new ResumableSession("sm-1", balcony, "gw1", "c1", Duration.ofMinutes(10), 100));

        new Outbox(bus).multicast(groupchat("hello"), List.of("juliet@localhost/balcony", "nurse@localhost/kitchen",
                "tybalt@localhost/street", "mallory@localhost/pc", "benvolio@localhost/gone"));

        BusMessage batch = gateway1.poll(5, TimeUnit.SECONDS);
        assertThat(batch).isNotNull();
        assertThat(batch.header(BusMessage.BATCH)).isNotNull();
        List<BusMessage> copies = batch.unbatched();
        assertThat(copies).extracting(copy -> copy.stanza().attributeOrNull("to"))
                .containsExactly("juliet@localhost/balcony", "nurse@localhost/kitchen");
        assertThat(copies).extracting(copy -> copy.header(BusMessage.CONNECTION)).containsExactly("c1", "c2");
        assertThat(copies.get(0).header(BusMessage.POSITION)).as("the resumable session's queue position").isEqualTo("1");
        assertThat(copies.get(1).header(BusMessage.POSITION)).isNull();
        assertThat(copies).allSatisfy(copy -> assertThat(copy.stanza().childText("body", "jabber:client")).hasValue("hello"));
        assertThat(store.after("sm-1", 0)).hasSize(1);

        BusMessage alone = gateway2.poll(5, TimeUnit.SECONDS);
        assertThat(alone).as("one copy for gw2: mallory blocked the room").isNotNull();
        assertThat(alone.header(BusMessage.BATCH)).isNull();
        assertThat(alone.header(BusMessage.TARGET)).isEqualTo("tybalt@localhost/street");
        assertThat(alone.stanza().attributeOrNull("to")).isEqualTo("tybalt@localhost/street");

        // RFC 6121 §8.5.3.2.1: a groupchat message to a resource that is gone is answered with an error (to the room).
        assertThat(meters.counter("xmpp.routes", "route", "reply").count()).isEqualTo(1.0);
        assertThat(gateway1.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(gateway2.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void copiesThatDifferBeyondTheirAddressTravelApart() {
        XmlElement first = groupchat("same").withAttribute("to", "a@localhost/1");
        XmlElement other = groupchat("different").withAttribute("to", "b@localhost/1");

        BusMessage batch = BusMessage.batch(first, List.of(new BusMessage.Delivery("a@localhost/1", "c1", null),
                new BusMessage.Delivery("c@localhost/1", "c9", "7")));
        List<BusMessage> copies = new ArrayList<>(batch.unbatched());

        assertThat(copies).hasSize(2);
        assertThat(copies.get(1).stanza().attributeOrNull("to")).isEqualTo("c@localhost/1");
        assertThat(copies.get(1).header(BusMessage.POSITION)).isEqualTo("7");
        assertThat(copies.get(1).header(BusMessage.BATCH)).isNull();
        assertThat(BusMessage.of(other).unbatched()).containsExactly(BusMessage.of(other));
    }

    private static XmlElement groupchat(String body) {
        return XmlElement.builder("message", "jabber:client").attribute("from", ROOM).attribute("type", "groupchat")
                .textChild("body", body).build();
    }
}
