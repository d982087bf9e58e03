package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A gateway killed without a goodbye (design step 6), on a real redis-server and the in-process bus: its plain
 * sessions end with unavailable presence, its resumable ones stay hibernated for their resumption time, and the
 * deliveries left on its topic reach the users another way.
 */
class DeadGatewayCleanupTest {

    private static final EntityFullJid PHONE = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/phone");
    private static final EntityFullJid DESK = JidCreate.entityFullFromOrThrowUnchecked("romeo@localhost/desk");
    private static final RedisRegistryProperties SHORT = new RedisRegistryProperties("unused", Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(1), 20_000, Duration.ofMinutes(5), Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofSeconds(1),
            new RedisRegistryProperties.Cache(false, Duration.ofSeconds(1), 1));

    private final StringRedisTemplate redis = RedisProcess.flushed();
    private final RedisSessionRegistry registry = new RedisSessionRegistry(redis, SHORT.sessionTtl());
    private final RedisResumptionStore store = new RedisResumptionStore(redis, Duration.ofMinutes(15), Clock.systemUTC());
    private final InProcessBus bus = new InProcessBus(2);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BlockingQueue<XmlElement> routed = new LinkedBlockingQueue<>();
    private final DeadGatewayCleanup cleanup = new DeadGatewayCleanup(new DeadGatewaySweeper(redis), bus, store, meters,
            Clock.systemUTC(), Duration.ofHours(1), Duration.ofMinutes(1));

    DeadGatewayCleanupTest() {
        bus.subscribe(Topics.ROUTE, "router", message -> routed.add(message.stanza()));
        cleanup.start();
    }

    @AfterEach
    void stop() {
        cleanup.stop();
        bus.close();
    }

    @Test
    void aDeadGatewaysResumableSessionsHibernateAndItsUnreadDeliveriesAreRerouted() throws Exception {
        new GatewayHeartbeat(redis, "gw1", SHORT).refresh();
        registry.bind(SessionEntry.bound(PHONE, "gw1", "c1"));
        registry.updatePresence(PHONE, "c1", 0, true);
        registry.markResumable(PHONE, "c1", "sm-phone");
        store.open(new ResumableSession("sm-phone", PHONE, "gw1", "c1", Duration.ofMinutes(10), 100));
        registry.bind(SessionEntry.bound(DESK, "gw1", "c2"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        DeadGatewaySweeper.Sweep sweep = cleanup.sweepOnce();
        assertThat(sweep.gateways()).containsExactly("gw1");
        assertThat(sweep.removed()).extracting(SessionEntry::jid).containsExactly(DESK);
        assertThat(sweep.hibernated()).extracting(SessionEntry::jid).containsExactly(PHONE);

        // Romeo's plain session ended: his contacts are told.
        XmlElement unavailable = routed.poll(10, TimeUnit.SECONDS);
        assertThat(unavailable.name()).isEqualTo("presence");
        assertThat(unavailable.attributeOrNull("from")).isEqualTo(DESK.toString());
        assertThat(unavailable.attributeOrNull("type")).isEqualTo("unavailable");
        // Juliet's stays, hibernated, for a resumption elsewhere; the registry keeps it as long as the store.
        assertThat(registry.session(PHONE)).get().extracting(SessionEntry::hibernated, SessionEntry::available)
                .containsExactly(true, true);
        assertThat(redis.getExpire("sess:{juliet@localhost}", TimeUnit.MINUTES)).isGreaterThanOrEqualTo(24);
        Instant until = store.state("sm-phone").orElseThrow().hibernatedUntil();
        assertThat(until).isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(10)));

        // What the dead gateway had not read yet.
        publishToGw1(message("romeo@localhost/desk", "chat", "are you there?"), Map.of());
        publishToGw1(XmlElement.builder("iq", "jabber:client").attribute("type", "get").attribute("id", "v1")
                .attribute("from", "juliet@localhost/phone").attribute("to", "romeo@localhost/desk")
                .child(XmlElement.empty("query", "jabber:iq:version")).build(), Map.of());
        publishToGw1(message("juliet@localhost/phone", "chat", "queued already"), Map.of(BusMessage.POSITION, "1"));
        publishToGw1(XmlElement.builder("presence", "jabber:client").attribute("from", "juliet@localhost/phone")
                .attribute("to", "romeo@localhost/desk").build(), Map.of());
        publishToGw1(message("romeo@localhost/desk", "headline", "news"), Map.of());

        List<XmlElement> rerouted = new ArrayList<>();
        for (XmlElement next; rerouted.size() < 2 && (next = routed.poll(10, TimeUnit.SECONDS)) != null; ) {
            rerouted.add(next);
        }
        assertThat(rerouted).hasSize(2);
        // Keyed by different accounts, the two may arrive in either order.
        rerouted.sort(java.util.Comparator.comparing(XmlElement::name).reversed());
        XmlElement chat = rerouted.get(0);
        assertThat(chat.name()).isEqualTo("message");
        assertThat(chat.attributeOrNull("to")).isEqualTo("romeo@localhost");
        assertThat(chat.child("delay", "urn:xmpp:delay")).isPresent();
        XmlElement error = rerouted.get(1);
        assertThat(error.name()).isEqualTo("iq");
        assertThat(error.attributeOrNull("type")).isEqualTo("error");
        assertThat(error.attributeOrNull("to")).isEqualTo("juliet@localhost/phone");
        assertThat(error.child("error").orElseThrow().child("service-unavailable")).isPresent();
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).as("nothing else").isNull();
        assertThat(meters.counter("xmpp.sm.rerouted", "source", "dead-gateway").count()).isEqualTo(1);
    }

    /**
     * RFC 6121 §4.6.3 across a gateway's death: the rooms a session joined (directed presence the dead gateway can no
     * longer end) get its unavailable presence from the sweep; a resumable session's rooms get it when the session
     * expires unresumed.
     */
    @Test
    void theTargetsOfADeadSessionsDirectedPresenceAreToldItIsGone() throws Exception {
        new GatewayHeartbeat(redis, "gw1", SHORT).refresh();
        registry.bind(SessionEntry.bound(DESK, "gw1", "c2"));
        registry.directedPresence(DESK, "c2", "coven@conference.localhost/romeo", true);
        registry.bind(SessionEntry.bound(PHONE, "gw1", "c1"));
        registry.markResumable(PHONE, "c1", "sm-phone");
        store.open(new ResumableSession("sm-phone", PHONE, "gw1", "c1", Duration.ofMinutes(10), 100));
        registry.directedPresence(PHONE, "c1", "lounge@conference.localhost/juliet", true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        cleanup.sweepOnce();
        assertThat(unavailablePresences(2)).containsExactlyInAnyOrder(
                DESK + " -> (contacts)", DESK + " -> coven@conference.localhost/romeo");
        assertThat(routed.poll(300, TimeUnit.MILLISECONDS)).as("juliet's session hibernates: nothing yet").isNull();

        // Juliet's session is not resumed: its end tells her contacts and her room.
        new ExpiredSessions(registry, store, bus, meters, Clock.systemUTC())
                .end(store.state("sm-phone").orElseThrow());
        assertThat(unavailablePresences(2)).containsExactlyInAnyOrder(
                PHONE + " -> (contacts)", PHONE + " -> lounge@conference.localhost/juliet");
        assertThat(registry.takeDirectedPresence(PHONE)).isEmpty();
    }

    /** The next {@code count} routed stanzas, each unavailable presence as "from -> to". */
    private List<String> unavailablePresences(int count) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            XmlElement next = routed.poll(10, TimeUnit.SECONDS);
            assertThat(next).as("routed stanza %d of %d", i + 1, count).isNotNull();
            assertThat(next.name()).isEqualTo("presence");
            assertThat(next.attributeOrNull("type")).isEqualTo("unavailable");
            String to = next.attributeOrNull("to");
            seen.add(next.attributeOrNull("from") + " -> " + (to == null ? "(contacts)" : to));
        }
        return seen;
    }

    private void publishToGw1(XmlElement stanza, Map<String, String> extra) {
        Map<String, String> headers = new java.util.HashMap<>(extra);
        headers.put(BusMessage.TARGET, stanza.attributeOrNull("to"));
        headers.put(BusMessage.CONNECTION, "c-any");
        // One key, so the in-process bus keeps their order as a Kafka partition would.
        bus.publish(Topics.gateway("gw1"), "romeo@localhost", new BusMessage(stanza, headers));
    }

    private static XmlElement message(String to, String type, String body) {
        return XmlElement.builder("message", "jabber:client").attribute("from", "nurse@localhost/hall")
                .attribute("to", to).attribute("type", type).textChild("body", body).build();
    }
}
