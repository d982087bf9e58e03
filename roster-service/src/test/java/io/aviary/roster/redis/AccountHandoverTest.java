package io.aviary.roster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bustest.RoutedStanzas;
import io.aviary.presence.PresenceBroadcaster;
import io.aviary.presence.Presences;
import io.aviary.presence.redis.RedisPresenceStore;
import io.aviary.roster.InMemoryRosterStore;
import io.aviary.roster.RosterHandler;
import io.aviary.roster.RosterItem;
import io.aviary.roster.RosterProperties;
import io.aviary.roster.RosterPushes;
import io.aviary.roster.RosterStore;
import io.aviary.service.Outbox;
import io.aviary.capability.EventSink;
import io.aviary.capability.EventType;
import io.aviary.capability.Events;
import io.aviary.session.redis.RedisProcess;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Juliet's partition of the service topic moves from one roster-service instance to another (a restart or a
 * scale-out): the instance that takes over knows from Redis which of her resources are available and which get
 * roster pushes, as if it had handled her stanzas all along.
 */
class AccountHandoverTest {

    private final InProcessBus bus = new InProcessBus(1);
    private final RoutedStanzas routed = new RoutedStanzas(bus);
    private final List<EntityFullJid> reachable = new CopyOnWriteArrayList<>();
    private final RosterStore roster = new InMemoryRosterStore(); // the database the instances share
    private Instance first;
    private Instance second;

    /** One roster-service instance: its own objects, the shared Redis, roster and bus. */
    private record Instance(RosterHandler rosterHandler, PresenceBroadcaster presence) {
    }

    private Instance instance(StringRedisTemplate redis) throws Exception {
        Outbox outbox = new Outbox(bus);
        RosterPushes pushes = new RosterPushes(outbox, new RedisRosterInterest(redis, Duration.ofMinutes(5)));
        Presences presences = new Presences(new RedisPresenceStore(redis, Duration.ofMinutes(5)), outbox);
        EventSink events = new EventSink() {
            @Override
            public <T> void emit(EventType<T> event, T payload) {
                if (event.equals(Events.PRESENCE_AVAILABLE)) {
                    reachable.add((EntityFullJid) payload);
                }
            }
        };
        return new Instance(new RosterHandler(roster, pushes, outbox, new RosterProperties(10, 20, 20, 4)),
                new PresenceBroadcaster(JidCreate.domainBareFrom("localhost"), roster, pushes, presences, outbox,
                        events));
    }

    @BeforeEach
    void start() throws Exception {
        StringRedisTemplate redis = RedisProcess.flushed();
        first = instance(redis);
        second = instance(redis);
    }

    @AfterEach
    void close() {
        bus.close();
    }

    private static Stanza presence(String from, String to, String type, String show) {
        XmlElement.Builder builder = XmlElement.builder("presence", "jabber:client").attribute("from", from);
        if (to != null) {
            builder.attribute("to", to);
        }
        if (type != null) {
            builder.attribute("type", type);
        }
        if (show != null) {
            builder.textChild("show", show);
        }
        return Stanza.of(builder.build()).orElseThrow();
    }

    private static Stanza rosterIq(String from, String type, String contact) {
        XmlElement.Builder query = XmlElement.builder("query", RosterItem.NAMESPACE);
        if (contact != null) {
            query.child(XmlElement.builder("item", RosterItem.NAMESPACE).attribute("jid", contact).build());
        }
        return Stanza.of(XmlElement.builder("iq", "jabber:client").attribute("from", from).attribute("id", "r1")
                .attribute("type", type).child(query.build()).build()).orElseThrow();
    }

    @Test
    void theInstanceThatTakesOverAnswersProbesAndTellsUpdatesFromInitialPresence() throws Exception {
        first.presence().handlePresence(presence("juliet@localhost/balcony", null, null, "chat"));
        assertThat(reachable).containsExactly(JidCreate.entityFullFrom("juliet@localhost/balcony"));
        routed.drain();

        // Her own other resource probes (RFC 6121 §4.3.2); the second instance never saw her presence.
        second.presence().handlePresence(presence("juliet@localhost/chamber", "juliet@localhost", "probe", null));
        assertThat(routed.drain()).singleElement().satisfies(answer -> {
            assertThat(answer.attributeOrNull("from")).isEqualTo("juliet@localhost/balcony");
            assertThat(answer.attributeOrNull("to")).isEqualTo("juliet@localhost/chamber");
            assertThat(answer.childText("show", "jabber:client")).contains("chat");
        });

        // An update, not initial presence: the offline flush is not triggered a second time.
        second.presence().handlePresence(presence("juliet@localhost/balcony", null, null, "away"));
        assertThat(reachable).hasSize(1);
        routed.drain();

        // The unavailable presence is broadcast because the second instance knows she was available.
        second.presence().handlePresence(presence("juliet@localhost/balcony", null, "unavailable", null));
        assertThat(routed.drain()).singleElement().satisfies(broadcast -> {
            assertThat(broadcast.attributeOrNull("type")).isEqualTo("unavailable");
            assertThat(broadcast.attributeOrNull("to")).isEqualTo("juliet@localhost");
        });
        first.presence().handlePresence(presence("juliet@localhost/chamber", "juliet@localhost", "probe", null));
        assertThat(routed.drain()).singleElement()
                .satisfies(answer -> assertThat(answer.attributeOrNull("type")).isEqualTo("unavailable"));
    }

    @Test
    void theInstanceThatTakesOverPushesToTheResourcesThatRequestedTheRosterBefore() throws Exception {
        first.rosterHandler().handle(rosterIq("juliet@localhost/balcony", "get", null));
        first.presence().handlePresence(presence("juliet@localhost/balcony", null, null, null));
        routed.drain();

        second.rosterHandler().handle(rosterIq("juliet@localhost/chamber", "set", "romeo@localhost"));
        assertThat(routed.drain()).singleElement().satisfies(push -> {
            assertThat(push.attributeOrNull("to")).isEqualTo("juliet@localhost/balcony");
            assertThat(push.firstChild().orElseThrow().firstChild().orElseThrow().attributeOrNull("jid"))
                    .isEqualTo("romeo@localhost");
        });

        // Interest ends with unavailable presence, wherever that is handled.
        second.presence().handlePresence(presence("juliet@localhost/balcony", null, "unavailable", null));
        routed.drain();
        first.rosterHandler().handle(rosterIq("juliet@localhost/chamber", "set", "nurse@localhost"));
        assertThat(routed.drain()).isEmpty();
    }
}
