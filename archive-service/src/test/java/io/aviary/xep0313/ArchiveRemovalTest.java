package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.EventType;
import io.aviary.capability.Events;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The archive capability as the server wires it, on the in-process bus: an owner's archive goes when the account is
 * removed or the room destroyed, including a record that was still on the archive topic when that happened.
 */
class ArchiveRemovalTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");
    private static final EntityBareJid ALICE = JidCreate.entityBareFromOrThrowUnchecked("alice@example.org");
    private static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("coven@conference.example.org");
    private static final String BYSTANDER = "bob@example.org";

    /** One lane: whatever holds it holds every key, the owner's records with it. */
    private final InProcessBus bus = new InProcessBus(1);
    private final InMemoryArchiveStore store = new InMemoryArchiveStore();
    private final MamConfiguration configuration = new MamConfiguration();
    private final StaticListableBeanFactory beans = new StaticListableBeanFactory();
    private final MamProperties properties = new MamProperties(100, true, 1000);
    private final ArchiveWriter writer = configuration.archiveWriter(store, RosterMembership.NONE, properties, bus,
            beans.getBeanProvider(MeterRegistry.class));
    private final CapabilityRegistry registry = CapabilityRegistry.of(List.of(configuration.mamCapability(DOMAIN,
            store, writer, bus, properties, beans.getBeanProvider(MeterRegistry.class))),
            CapabilityRegistry.detachedHost(DOMAIN));

    ArchiveRemovalTest() {
        bus.subscribe(Topics.ARCHIVE, "archive",
                message -> writer.handleMessage(Stanza.of(message.stanza()).orElseThrow(), message));
    }

    @AfterEach
    void close() throws Exception {
        writer.close();
        bus.close();
    }

    @Test
    void aRemovedAccountsArchiveGoesWithTheRecordStillOnItsWay() throws Exception {
        removedWithARecordOnItsWay(Events.ACCOUNT_REMOVED, ALICE);
    }

    @Test
    void aDestroyedRoomsArchiveGoesWithItsLastLineStillOnItsWay() throws Exception {
        removedWithARecordOnItsWay(Events.ROOM_DESTROYED, ROOM);
    }

    private void removedWithARecordOnItsWay(EventType<EntityBareJid> event, EntityBareJid owner) throws Exception {
        publish(owner.toString(), "s1", "archived before");
        publish(BYSTANDER, "b1", "the bystander's");
        assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
        writer.settle();
        assertThat(store.query(owner.toString(), ArchiveQuery.ALL, PageRequest.first(10)).items()).hasSize(1);

        CountDownLatch release = new CountDownLatch(1);
        bus.subscribe("test.lane", "test", message -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bus.publish("test.lane", owner.toString(), new BusMessage(XmlElement.empty("hold", "urn:test"), Map.of()));
        publish(owner.toString(), "s2", "on its way as the owner went");
        registry.emit(event, owner);
        release.countDown();
        assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
        writer.settle();

        assertThat(store.query(owner.toString(), ArchiveQuery.ALL, PageRequest.first(10)).items())
                .as("nothing of the owner's, neither what was archived nor what was on its way").isEmpty();
        assertThat(store.query(BYSTANDER, ArchiveQuery.ALL, PageRequest.first(10)).items()).hasSize(1);
    }

    private void publish(String owner, String id, String body) {
        XmlElement message = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("type", "chat")
                .attribute("id", "c-" + id).child(XmlElement.builder("body", Stanza.CLIENT_NAMESPACE).text(body).build())
                .build();
        bus.publish(Topics.ARCHIVE, owner, new ArchiveRecord(owner, id, Direction.INCOMING, "carol@example.org/pc",
                Instant.parse("2026-12-07T10:00:00Z"), Reach.NONE, message).toBusMessage());
    }
}
