package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6121 §8.5 over real sockets: priorities, negative priority, unavailable resources, unknown accounts. */
class MessageDeliveryRulesTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : new String[] {"romeo", "juliet", "nurse"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Logs in without the automatic presence, sends available presence with the given priority
     * and waits until the server reflects it back (RFC 6121 §4.2.2), so the server has taken it in.
     */
    static XMPPTCPConnection loginWithPriority(String user, String resource, int priority) throws Exception {
        XMPPTCPConnection connection = XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null)
                .setResource(resource).setSendPresence(false).build());
        CompletableFuture<Void> reflected = new CompletableFuture<>();
        connection.addAsyncStanzaListener(s -> reflected.complete(null),
                s -> s instanceof Presence p && connection.getUser().equals(p.getFrom()));
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().setPriority(priority).build());
        reflected.get(10, TimeUnit.SECONDS);
        return connection;
    }

    static XMPPTCPConnection unconnected(String user, String resource) throws Exception {
        return new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    @Test
    void aNegativePriorityResourceNeverGetsBareJidMessagesWhichWaitOffline() throws Exception {
        XMPPTCPConnection romeo = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "romeo", "romeo-secret", null).setResource("orchard").build());
        XMPPTCPConnection hidden = loginWithPriority("juliet", "hidden", -1);
        BlockingQueue<Message> hiddenInbox = XmppClients.inbox(hidden);
        try {
            OfflineEndToEndTest.send(romeo, "juliet@localhost", Message.Type.chat, "to the bare JID");
            OfflineEndToEndTest.send(romeo, "juliet@localhost/hidden", Message.Type.chat, "to the full JID");

            Message direct = XmppClients.next(hiddenInbox, Duration.ofSeconds(10));
            assertThat(direct.getBody()).isEqualTo("to the full JID");

            XMPPTCPConnection balcony = unconnected("juliet", "balcony");
            BlockingQueue<Message> balconyInbox = XmppClients.inbox(balcony);
            balcony.connect().login();
            try {
                Message stored = XmppClients.next(balconyInbox, Duration.ofSeconds(10));
                assertThat(stored.getBody()).isEqualTo("to the bare JID");
                assertThat(DelayInformation.from(stored)).isNotNull();
                assertThat(XmppClients.next(hiddenInbox, Duration.ofSeconds(1))).isNull();
            } finally {
                balcony.disconnect();
            }
        } finally {
            romeo.disconnect();
            hidden.disconnect();
        }
    }

    @Test
    void chatToTheBareJidGoesToTheHighestPriorityResource() throws Exception {
        XMPPTCPConnection romeo = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "romeo", "romeo-secret", null).setResource("garden").build());
        XMPPTCPConnection low = loginWithPriority("nurse", "low", 1);
        XMPPTCPConnection high = loginWithPriority("nurse", "high", 7);
        BlockingQueue<Message> lowInbox = XmppClients.inbox(low);
        BlockingQueue<Message> highInbox = XmppClients.inbox(high);
        try {
            OfflineEndToEndTest.send(romeo, "nurse@localhost", Message.Type.chat, "for the best");
            assertThat(XmppClients.next(highInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("for the best");
            assertThat(XmppClients.next(lowInbox, Duration.ofSeconds(1))).isNull();

            // §8.5.2.1.1: headlines go to every non-negative resource.
            OfflineEndToEndTest.send(romeo, "nurse@localhost", Message.Type.headline, "news");
            assertThat(XmppClients.next(highInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("news");
            assertThat(XmppClients.next(lowInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("news");

            // §8.5.3.2.1: chat to a full JID that is not online falls back to the bare JID.
            OfflineEndToEndTest.send(romeo, "nurse@localhost/gone", Message.Type.chat, "to a gone resource");
            assertThat(XmppClients.next(highInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("to a gone resource");
        } finally {
            romeo.disconnect();
            low.disconnect();
            high.disconnect();
        }
    }

    @Test
    void aNormalMessageToAnUnavailableResourceIsRefusedNotRedirected() throws Exception {
        XMPPTCPConnection romeo = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "romeo", "romeo-secret", null).setResource("balcony").build());
        XMPPTCPConnection other = loginWithPriority("juliet", "chamber", 5);
        BlockingQueue<Message> otherInbox = XmppClients.inbox(other);
        BlockingQueue<Message> errors = OfflineEndToEndTest.errors(romeo);
        try {
            // RFC 6121 §8.5.3.2.1: for type normal the server "MUST either (a) silently ignore the stanza
            // or (b) return an error stanza to the sender"; no type means normal (§5.2.2).
            OfflineEndToEndTest.send(romeo, "juliet@localhost/gone", Message.Type.normal, "for the gone resource only");
            Message error = errors.poll(10, TimeUnit.SECONDS);
            assertThat(error).isNotNull();
            assertThat(error.getFrom().toString()).isEqualTo("juliet@localhost/gone");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);

            // Chat still falls back to the bare JID, so the other resource sees that one, and only that one.
            OfflineEndToEndTest.send(romeo, "juliet@localhost/gone", Message.Type.chat, "chat follows");
            assertThat(XmppClients.next(otherInbox, Duration.ofSeconds(10)).getBody()).isEqualTo("chat follows");
        } finally {
            romeo.disconnect();
            other.disconnect();
        }
    }

    @Test
    void aMessageToANonexistentAccountIsServiceUnavailable() throws Exception {
        XMPPTCPConnection romeo = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "romeo", "romeo-secret", null).setResource("street").build());
        BlockingQueue<Message> errors = OfflineEndToEndTest.errors(romeo);
        try {
            OfflineEndToEndTest.send(romeo, "rosaline@localhost", Message.Type.chat, "anyone?");
            Message error = errors.poll(10, TimeUnit.SECONDS);
            assertThat(error).isNotNull();
            assertThat(error.getFrom().toString()).isEqualTo("rosaline@localhost");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            romeo.disconnect();
        }
    }
}
