package io.aviary.router.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Declaration;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import io.aviary.router.DeliveryRules;
import io.aviary.router.SessionDeliveries;
import io.aviary.router.StanzaRouter;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The real {@link StanzaRouter} on the in-process bus, wired as {@code RouterConfiguration} wires it: what the archive
 * topic receives, the stanza-id of what the gateway receives, and which topic server requests go to.
 */
class ArchiveRoutingTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("localhost");
    private static final String MAM = "urn:xmpp:mam:2";

    private final InProcessBus bus = new InProcessBus(2);
    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final InMemoryCapabilityCatalogue catalogue = new InMemoryCapabilityCatalogue();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final BlockingQueue<BusMessage> archive = new LinkedBlockingQueue<>();
    private final BlockingQueue<BusMessage> gateway = new LinkedBlockingQueue<>();
    private final BlockingQueue<BusMessage> service = new LinkedBlockingQueue<>();
    private final StanzaRouter router;

    ArchiveRoutingTest() {
        ServiceTopics topics = new ServiceTopics(catalogue);
        InMemoryResumptionStore store = new InMemoryResumptionStore();
        DeliveryRules rules = new DeliveryRules(DOMAIN, registry,
                account -> Set.of("juliet", "romeo").contains(account.getLocalpart().toString()),
                new MessageArchiving(DOMAIN, Clock.systemUTC(), new StanzaIds(), () -> topics.serves(Topics.ARCHIVE)));
        router = new StanzaRouter(bus, rules, meters, List.of(), new SessionDeliveries(bus, store,
                new ExpiredSessions(registry, store, bus, meters, Clock.systemUTC()),
                new UndeliveredMessages(bus, meters, Clock.systemUTC()), meters), topics);
        router.start();
        bus.subscribe(Topics.ARCHIVE, "archive", archive::add);
        bus.subscribe(Topics.gateway("gw1"), "gateway", gateway::add);
        bus.subscribe(Topics.SERVICE, "services", service::add);
    }

    @AfterEach
    void stop() {
        router.close();
        bus.close();
    }

    private void archiveServed() {
        catalogue.publish("archive", List.of(Declaration.builder("mam").iq(MAM).topic(Topics.ARCHIVE).build()));
    }

    private void bind(String fullJid) {
        EntityFullJid jid = JidCreate.entityFullFromOrThrowUnchecked(fullJid);
        registry.bind(SessionEntry.bound(jid, "gw1", fullJid).withPresence(0, true));
    }

    private void send(XmlElement stanza) {
        bus.publish(Topics.ROUTE, "key", BusMessage.of(stanza));
    }

    private static XmlElement chat(String body) {
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", "romeo@localhost/orchard")
                .attribute("to", "juliet@localhost").attribute("type", "chat").attribute("id", "c1")
                .textChild("body", body).build();
    }

    private static XmlElement iq(String type, String id, String from, String to, String namespace) {
        XmlElement.Builder iq = XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", type)
                .attribute("id", id).attribute("from", from).attribute("to", to);
        if (namespace != null) {
            iq.child(XmlElement.empty("query", namespace));
        }
        return iq.build();
    }

    private static List<BusMessage> take(BlockingQueue<BusMessage> queue, int count) throws InterruptedException {
        List<BusMessage> taken = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (taken.size() < count && System.nanoTime() < deadline) {
            BusMessage next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                taken.add(next);
            }
        }
        assertThat(taken).hasSize(count);
        return taken;
    }

    @Test
    void aChatIsPublishedToBothArchivesAndDeliveredWithTheRecipientsStanzaId() throws Exception {
        archiveServed();
        bind("juliet@localhost/balcony");

        send(chat("Good night"));

        List<ArchiveRecord> records = take(archive, 2).stream().peek(m -> assertThat(ArchiveRecord.isRecord(m)).isTrue())
                .map(ArchiveRecord::from).toList();
        assertThat(records).extracting(ArchiveRecord::owner, ArchiveRecord::direction).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("romeo@localhost", Direction.OUTGOING),
                org.assertj.core.groups.Tuple.tuple("juliet@localhost", Direction.INCOMING));
        ArchiveRecord incoming = records.stream().filter(r -> r.direction() == Direction.INCOMING).findFirst().orElseThrow();
        assertThat(incoming.reach()).isEqualTo(Reach.ONLINE);
        assertThat(incoming.id()).matches("[A-Za-z0-9_-]{16}");

        XmlElement delivered = take(gateway, 1).get(0).stanza();
        XmlElement stanzaId = delivered.child("stanza-id", "urn:xmpp:sid:0").orElseThrow();
        assertThat(stanzaId.attributeOrNull("by")).isEqualTo("juliet@localhost");
        assertThat(stanzaId.attributeOrNull("id")).isEqualTo(incoming.id());
        assertThat(incoming.message()).isEqualTo(delivered);
        assertThat(meters.counter("xmpp.archive.records", "direction", "incoming").count()).isEqualTo(1);
        assertThat(meters.counter("xmpp.archive.records", "direction", "outgoing").count()).isEqualTo(1);
    }

    @Test
    void theOfflineCopyOnTheServiceTopicIsStamped() throws Exception {
        archiveServed();

        send(chat("Are you there?"));

        XmlElement offline = take(service, 1).get(0).stanza();
        String id = offline.child("stanza-id", "urn:xmpp:sid:0").orElseThrow().attributeOrNull("id");
        assertThat(take(archive, 2).stream().map(ArchiveRecord::from)
                .filter(r -> r.direction() == Direction.INCOMING)).singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(id);
                    assertThat(r.reach()).isEqualTo(Reach.OFFLINE);
                });
    }

    @Test
    void aMamQueryGoesToTheArchiveTopicWhenACapabilityServesItThere() throws Exception {
        send(iq("set", "q1", "juliet@localhost/balcony", "juliet@localhost", MAM));
        assertThat(take(service, 1).get(0).stanza().attributeOrNull("id")).isEqualTo("q1");

        archiveServed();
        send(iq("set", "q2", "juliet@localhost/balcony", "juliet@localhost", MAM));
        send(iq("get", "r1", "juliet@localhost/balcony", "juliet@localhost", "jabber:iq:roster"));
        assertThat(take(archive, 1).get(0).stanza().attributeOrNull("id")).isEqualTo("q2");
        assertThat(take(service, 1).get(0).stanza().attributeOrNull("id")).isEqualTo("r1");
    }

    @Test
    void theReplyToAnIqTheArchiveServiceSentGoesBackToTheArchiveTopic() throws Exception {
        archiveServed();
        bind("juliet@localhost/balcony");
        String pushId = Topics.replyId(Topics.ARCHIVE, "n1");

        // The app server's answer to a push notification sent from juliet's bare JID.
        send(iq("result", pushId, "romeo@localhost/orchard", "juliet@localhost", null));
        send(iq("result", "plain", "romeo@localhost/orchard", "juliet@localhost", null));

        assertThat(take(archive, 1).get(0).stanza().attributeOrNull("id")).isEqualTo(pushId);
        assertThat(take(service, 1).get(0).stanza().attributeOrNull("id")).isEqualTo("plain");
        assertThat(archive.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
}
