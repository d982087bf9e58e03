package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityContext;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.Declaration;
import io.aviary.capability.EventType;
import io.aviary.capability.Events;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** Server-wide events reach each other service once, over the bus; the others stay in their process. */
class ServerWideEventsTest {

    private static final EntityBareJid JULIET = JidCreate.entityBareFromOrThrowUnchecked("juliet@localhost");

    private final InProcessBus bus = new InProcessBus(1);
    private final BlockingQueue<String> heard = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        bus.close();
    }

    /** A service whose one capability emits account removals and records what it hears, as {@code "service: jid"}. */
    private CapabilityContext service(String name, EventType<?>... listensTo) {
        AtomicReference<CapabilityContext> context = new AtomicReference<>();
        Declaration.Builder declaration = Declaration.builder("cleanup-" + name).emits(Events.ACCOUNT_REMOVED)
                .emits(Events.PRESENCE_AVAILABLE).emits(Events.PRESENCE_UNAVAILABLE).emits(Events.INVITATION_ACCEPTED);
        for (EventType<?> event : listensTo) {
            declaration.listensTo(event);
        }
        Capability cleanup = Capability.of(declaration.build(), registrar -> {
            context.set(registrar.context());
            for (EventType<?> event : listensTo) {
                registrar.on(event, payload -> heard.add(name + ": " + payload));
            }
        });
        CapabilityRegistry registry = CapabilityRegistry.of(List.of(cleanup),
                CapabilityRegistry.detachedHost(JidCreate.domainBareFromOrThrowUnchecked("localhost")));
        new ServerWideEvents(bus, registry, name).start();
        return context.get();
    }

    @Test
    void anAccountRemovedInOneServiceIsHeardOnceByEachOtherServiceThatListens() throws Exception {
        CapabilityContext roster = service("aviary-roster", Events.ACCOUNT_REMOVED);
        service("aviary-archive", Events.ACCOUNT_REMOVED);
        service("aviary-archive", Events.ACCOUNT_REMOVED);
        service("aviary-upload", Events.ACCOUNT_REMOVED);
        service("aviary-gateway");

        roster.emit(Events.ACCOUNT_REMOVED, JULIET);

        List<String> expected = List.of("aviary-roster: juliet@localhost", "aviary-archive: juliet@localhost",
                "aviary-upload: juliet@localhost");
        for (int i = 0; i < expected.size(); i++) {
            assertThat(heard.poll(5, TimeUnit.SECONDS)).as("event %d of %d", i + 1, expected.size()).isNotNull();
        }
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("no service hears it twice").isNull();
    }

    @Test
    void anAcceptedInvitationCarriesBothAccountsToTheRosterService() throws Exception {
        CapabilityContext gateway = service("aviary-gateway");
        service("aviary-roster", Events.INVITATION_ACCEPTED);
        service("aviary-archive", Events.ACCOUNT_REMOVED);

        gateway.emit(Events.INVITATION_ACCEPTED, new Events.Invited(JULIET,
                JidCreate.entityBareFromOrThrowUnchecked("romeo@localhost")));

        assertThat(heard.poll(5, TimeUnit.SECONDS))
                .isEqualTo("aviary-roster: Invited[invitee=juliet@localhost, inviter=romeo@localhost]");
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aResourceThatBecameAvailableReachesTheAdminServiceWhichGreetsIt() throws Exception {
        EntityFullJid balcony = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony");
        CapabilityContext roster = service("aviary-roster", Events.PRESENCE_AVAILABLE);
        service("aviary-admin", Events.PRESENCE_AVAILABLE);

        roster.emit(Events.PRESENCE_AVAILABLE, balcony);

        assertThat(List.of(heard.poll(5, TimeUnit.SECONDS), heard.poll(5, TimeUnit.SECONDS))).containsExactlyInAnyOrder(
                "aviary-roster: juliet@localhost/balcony", "aviary-admin: juliet@localhost/balcony");
        // A record naming a resource of another account than its own is no event.
        bus.publish(Topics.EVENTS, "x", new BusMessage(XmlElement.builder("event", ServerWideEvents.NAMESPACE)
                .attribute("name", "presence.available").attribute("account", "juliet@localhost")
                .attribute("resource", "romeo@localhost/orchard").build(), Map.of(ServerWideEvents.ORIGIN, "aviary-x")));
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void otherEventsStayInTheProcessThatEmitsThem() throws Exception {
        EntityFullJid balcony = JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony");
        CapabilityContext roster = service("aviary-roster", Events.PRESENCE_UNAVAILABLE);
        service("aviary-archive", Events.PRESENCE_UNAVAILABLE);

        roster.emit(Events.PRESENCE_UNAVAILABLE, new Events.ResourceUnavailable(balcony, null));

        assertThat(heard.poll(5, TimeUnit.SECONDS)).startsWith("aviary-roster: ResourceUnavailable[resource=juliet@localhost/balcony");
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anEventThatNamesNoAccountIsDropped() throws Exception {
        service("aviary-archive", Events.ACCOUNT_REMOVED);

        bus.publish(Topics.EVENTS, "x", new BusMessage(XmlElement.builder("event", ServerWideEvents.NAMESPACE)
                .attribute("name", "account.removed").attribute("account", "not a jid@").build(),
                Map.of(ServerWideEvents.ORIGIN, "aviary-roster")));
        bus.publish(Topics.EVENTS, "x", new BusMessage(XmlElement.builder("event", ServerWideEvents.NAMESPACE)
                .attribute("name", "account.renamed").attribute("account", "juliet@localhost").build(),
                Map.of(ServerWideEvents.ORIGIN, "aviary-roster")));
        bus.publish(Topics.EVENTS, "x", new BusMessage(XmlElement.builder("event", ServerWideEvents.NAMESPACE)
                .attribute("name", "account.removed").attribute("account", "romeo@localhost").build(),
                Map.of(ServerWideEvents.ORIGIN, "aviary-roster")));

        assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("aviary-archive: romeo@localhost");
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
}
