package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0198 sessions nobody resumes (design step 5): when a hibernated session's resumption time ends, the standalone
 * app's reaper sends its unacknowledged chat messages to offline storage and tells its contacts it is unavailable.
 * The hibernated state is made through the app's registry and resumption store, as the gateway does when a
 * stream-management client's connection drops.
 */
class HibernationReaperEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.resumption.reap-interval=200ms");
        for (String user : new String[] {"romeo", "juliet"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
        XMPPTCPConnection romeo = login("romeo", "setup");
        XMPPTCPConnection juliet = login("juliet", "setup");
        try {
            Roster.getInstanceFor(romeo).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(juliet).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(romeo).createItemAndRequestSubscription(SubscriptionEndToEndTest.jid("juliet"), "Juliet", null);
            Roster.getInstanceFor(juliet).createItemAndRequestSubscription(SubscriptionEndToEndTest.jid("romeo"), "Romeo", null);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(romeo), "juliet") == ItemType.both
                            && SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(juliet), "romeo") == ItemType.both);
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    @Test
    void anExpiredSessionsQueuedMessagesGoOfflineAndItsContactsSeeItLeave() throws Exception {
        SessionRegistry registry = server.context().getBean(SessionRegistry.class);
        ResumptionStore store = server.context().getBean(ResumptionStore.class);
        EntityFullJid phone = JidCreate.entityFullFrom("juliet@localhost/phone");

        XMPPTCPConnection romeo = login("romeo", "orchard");
        XMPPTCPConnection juliet = login("juliet", "phone");
        try {
            Roster romeoRoster = Roster.getInstanceFor(romeo);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    romeoRoster.getPresence(SubscriptionEndToEndTest.jid("juliet")).isAvailable());

            // Juliet's stream management session loses its connection: the gateway would mark it so.
            SessionEntry session = registry.session(phone).orElseThrow();
            store.open(new ResumableSession("sm-juliet", phone, session.gatewayId(), session.connectionId(),
                    Duration.ofMinutes(10), 100));
            registry.markResumable(phone, session.connectionId(), "sm-juliet");
            assertThat(registry.hibernate(phone, session.connectionId())).isTrue();
            assertThat(store.hibernate("sm-juliet", session.connectionId(), Instant.now().plusSeconds(600))).isTrue();

            for (String body : new String[] {"Did my heart love till now?", "Forswear it, sight!"}) {
                romeo.sendStanza(romeo.getStanzaFactory().buildMessageStanza().to(phone).ofType(Message.Type.chat)
                        .setBody(body).build());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> store.after("sm-juliet", 0).size() == 2);
            assertThat(romeoRoster.getPresence(SubscriptionEndToEndTest.jid("juliet")).isAvailable())
                    .as("a hibernated session stays available").isTrue();

            // Nobody resumes it: its resumption time ends.
            assertThat(store.hibernate("sm-juliet", session.connectionId(), Instant.now())).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    !romeoRoster.getPresence(SubscriptionEndToEndTest.jid("juliet")).isAvailable());
            await().atMost(Duration.ofSeconds(10)).until(() -> store.state("sm-juliet").isEmpty());
            assertThat(registry.session(phone)).isEmpty();
        } finally {
            juliet.disconnect();
        }

        try {
            XMPPTCPConnection laptop = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "juliet",
                    "juliet-secret", null).setResource("laptop").build());
            BlockingQueue<Message> inbox = XmppClients.inbox(laptop);
            laptop.connect().login();
            try {
                Message first = XmppClients.next(inbox, Duration.ofSeconds(10));
                Message second = XmppClients.next(inbox, Duration.ofSeconds(10));
                assertThat(first).isNotNull();
                assertThat(second).isNotNull();
                assertThat(first.getBody()).isEqualTo("Did my heart love till now?");
                assertThat(second.getBody()).isEqualTo("Forswear it, sight!");
                assertThat(first.getFrom().toString()).isEqualTo("romeo@localhost/orchard");
                assertThat(DelayInformation.from(second)).isNotNull();
            } finally {
                laptop.disconnect();
            }
        } finally {
            romeo.disconnect();
        }
    }
}
