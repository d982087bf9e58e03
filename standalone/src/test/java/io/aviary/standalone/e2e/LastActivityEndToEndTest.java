package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import io.aviary.service.SubscriptionLookup;
import io.aviary.xep0012.LastActivityStore;
import java.time.Duration;
import java.time.Instant;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smackx.iqlast.LastActivityManager;
import org.jivesoftware.smackx.iqlast.packet.LastActivity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0012: server uptime, an online account's 0, and who may ask about an account. */
class LastActivityEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol"}) {
            server.accounts().register(user, user + "-secret");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    @Test
    void theServerAnswersWithItsUptimeAndAnOnlineAccountWithZero() throws Exception {
        XMPPTCPConnection alice = login("alice");
        try {
            LastActivity uptime = LastActivityManager.getInstanceFor(alice).getLastActivity(JidCreate.domainBareFrom("localhost"));
            assertThat(uptime.getIdleTime()).isGreaterThanOrEqualTo(0);
            assertThat(uptime.getStatusMessage()).isNullOrEmpty();

            LastActivity own = LastActivityManager.getInstanceFor(alice).getLastActivity(JidCreate.entityBareFrom("alice@localhost"));
            assertThat(own.getIdleTime()).isZero();
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void someoneWithoutASubscriptionIsForbidden() throws Exception {
        XMPPTCPConnection bob = login("bob");
        try {
            assertThatThrownBy(() -> LastActivityManager.getInstanceFor(bob).getLastActivity(JidCreate.entityBareFrom("alice@localhost")))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        } finally {
            bob.disconnect();
        }
    }

    @Test
    void loggingOutRecordsTheTimeAndTheStatusOfTheUnavailablePresence() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        XMPPTCPConnection carol = login("carol");
        carol.disconnect(carol.getStanzaFactory().buildPresenceStanza()
                .ofType(Presence.Type.unavailable).setStatus("Heading Home").build());

        LastActivityStore store = server.context().getBean(LastActivityStore.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.last("carol").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        LastActivityStore.Logout logout = store.last("carol").orElseThrow();
        assertThat(logout.status()).isEqualTo("Heading Home");
        assertThat(logout.at()).isAfter(before);
    }

    @Test
    void aContactWithASubscriptionSeesHowLongAgoTheAccountLoggedOut() throws Exception {
        server.accounts().register("dave", "dave-secret");
        server.accounts().register("erin", "erin-secret");
        XMPPTCPConnection dave = login("dave");
        XMPPTCPConnection erin = login("erin");
        try {
            Roster.getInstanceFor(dave).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            EntityBareJid daveJid = JidCreate.entityBareFrom("dave@localhost");
            Roster.getInstanceFor(erin).createItemAndRequestSubscription(daveJid, "Dave", null);
            SubscriptionLookup subscriptions = server.context().getBean(SubscriptionLookup.class);
            BareJid erinJid = JidCreate.entityBareFrom("erin@localhost");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!subscriptions.receivesPresence(daveJid, erinJid) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(subscriptions.receivesPresence(daveJid, erinJid)).as("erin subscribed to dave").isTrue();

            // Online: 0 seconds (XEP-0012 §3).
            assertThat(LastActivityManager.getInstanceFor(erin).getLastActivity(daveJid).getIdleTime()).isZero();

            dave.disconnect(dave.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.unavailable).setStatus("Gone fishing").build());
            LastActivityStore store = server.context().getBean(LastActivityStore.class);
            while (store.last("dave").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            LastActivity last = LastActivityManager.getInstanceFor(erin).getLastActivity(daveJid);
            assertThat(last.getIdleTime()).isBetween(0L, 60L);
            assertThat(last.getStatusMessage()).isEqualTo("Gone fishing");
        } finally {
            erin.disconnect();
        }
    }
}
