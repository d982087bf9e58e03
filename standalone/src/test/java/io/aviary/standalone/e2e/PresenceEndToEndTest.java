package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6121 §4 between subscribed contacts and to a stranger: broadcast, probes, updates, directed presence, lost connections. */
class PresenceEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
        // Alice and Bob see each other (subscription both); Carol is a stranger to both.
        XMPPTCPConnection alice = login("alice", "setup");
        XMPPTCPConnection bob = login("bob", "setup");
        try {
            Roster.getInstanceFor(alice).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(bob).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(alice).createItemAndRequestSubscription(SubscriptionEndToEndTest.jid("bob"), "Bob", null);
            Roster.getInstanceFor(bob).createItemAndRequestSubscription(SubscriptionEndToEndTest.jid("alice"), "Alice", null);
            // Two subscription round trips, each a few durable commits: as long as SubscriptionEndToEndTest allows.
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(alice), "bob") == ItemType.both
                            && SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(bob), "alice") == ItemType.both);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    /** Presence stanzas a connection receives from one account. */
    static BlockingQueue<Presence> presencesFrom(XMPPTCPConnection connection, String user) {
        BlockingQueue<Presence> presences = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(p -> presences.add((Presence) p), s -> s instanceof Presence p
                && p.getFrom().asBareJid().equals(SubscriptionEndToEndTest.jid(user)));
        return presences;
    }

    @Test
    void contactsSeeEachOtherComeChangeAndGo() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        try {
            Roster aliceRoster = Roster.getInstanceFor(alice);
            XMPPTCPConnection bob = login("bob", "phone");
            Roster bobRoster = Roster.getInstanceFor(bob);
            // Bob's initial presence is broadcast to Alice; Bob's probe brings him Alice's.
            await().atMost(Duration.ofSeconds(10)).until(() -> aliceRoster.getPresence(SubscriptionEndToEndTest.jid("bob")).isAvailable());
            await().atMost(Duration.ofSeconds(10)).until(() -> bobRoster.getPresence(SubscriptionEndToEndTest.jid("alice")).isAvailable());

            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza()
                    .setMode(Presence.Mode.away).setStatus("At the market").build());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    bobRoster.getPresence(SubscriptionEndToEndTest.jid("alice")).getMode() == Presence.Mode.away);
            assertThat(bobRoster.getPresence(SubscriptionEndToEndTest.jid("alice")).getStatus()).isEqualTo("At the market");

            bob.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> !aliceRoster.getPresence(SubscriptionEndToEndTest.jid("bob")).isAvailable());
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aConnectionLostWithoutClosingTheStreamIsBroadcastAsUnavailable() throws Exception {
        XMPPTCPConnection alice = login("alice", "laptop");
        XMPPTCPConnection bob = login("bob", "tablet");
        try {
            Roster aliceRoster = Roster.getInstanceFor(alice);
            await().atMost(Duration.ofSeconds(10)).until(() -> aliceRoster.getPresence(SubscriptionEndToEndTest.jid("bob")).isAvailable());

            bob.instantShutdown(); // the socket closes; no </stream:stream>, no unavailable presence from Bob

            await().atMost(Duration.ofSeconds(10)).until(() -> !aliceRoster.getPresence(SubscriptionEndToEndTest.jid("bob")).isAvailable());
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void directedPresenceReachesAStrangerAndIsWithdrawnWhenTheSenderVanishes() throws Exception {
        XMPPTCPConnection carol = login("carol", "home");
        BlockingQueue<Presence> fromAlice = presencesFrom(carol, "alice");
        XMPPTCPConnection alice = login("alice", "cafe");
        try {
            // A stranger's probe reveals nothing (RFC 6121 §4.3.2: the answer is unsubscribed, which changes
            // nothing for Carol), nor does Alice's broadcast reach Carol.
            carol.sendStanza(carol.getStanzaFactory().buildPresenceStanza()
                    .to(SubscriptionEndToEndTest.jid("alice")).ofType(Presence.Type.probe).build());
            assertThat(fromAlice.poll(1, TimeUnit.SECONDS)).isNull();

            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza()
                    .to(SubscriptionEndToEndTest.jid("carol")).setStatus("Hello Carol").build());
            Presence directed = fromAlice.poll(10, TimeUnit.SECONDS);
            assertThat(directed).isNotNull();
            assertThat(directed.isAvailable()).isTrue();
            assertThat(directed.getFrom().toString()).isEqualTo("alice@localhost/cafe");
            assertThat(directed.getStatus()).isEqualTo("Hello Carol");

            // Unavailable broadcast withdraws the directed presence too (RFC 6121 §4.6.3).
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.unavailable).build());
            assertThat(fromAlice.poll(10, TimeUnit.SECONDS).getType()).isEqualTo(Presence.Type.unavailable);
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().build());
            alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().to(SubscriptionEndToEndTest.jid("carol")).build());
            assertThat(fromAlice.poll(10, TimeUnit.SECONDS).isAvailable()).isTrue();

            alice.instantShutdown();

            Presence gone = fromAlice.poll(10, TimeUnit.SECONDS);
            assertThat(gone).isNotNull();
            assertThat(gone.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(gone.getFrom().toString()).isEqualTo("alice@localhost/cafe");
        } finally {
            carol.disconnect();
        }
    }
}
