package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.chatstates.ChatState;
import org.jivesoftware.smackx.chatstates.packet.ChatStateExtension;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Offline messages (XEP-0160): kept with a XEP-0203 delay, delivered at login, within a quota of 2 here. */
class OfflineEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.offline.max-messages=2");
        for (String user : new String[] {"romeo", "juliet", "nurse", "tybalt", "benvolio"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static XMPPTCPConnection unconnected(String user, String resource) throws Exception {
        return new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build());
    }

    static void send(XMPPTCPConnection from, String to, Message.Type type, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(type).setBody(body).build());
    }

    static BlockingQueue<Message> errors(XMPPTCPConnection connection) {
        BlockingQueue<Message> errors = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(s -> errors.add((Message) s),
                s -> s instanceof Message m && m.getType() == Message.Type.error);
        return errors;
    }

    @Test
    void aMessageForAnOfflineAccountArrivesAtLoginWithADelay() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        XMPPTCPConnection romeo = login("romeo", "orchard");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(romeo).serverSupportsFeature("msgoffline")).isTrue();
            send(romeo, "juliet@localhost", Message.Type.chat, "Wherefore art thou?");
        } finally {
            romeo.disconnect();
        }
        XMPPTCPConnection juliet = unconnected("juliet", "balcony");
        BlockingQueue<Message> inbox = XmppClients.inbox(juliet);
        juliet.connect().login();
        try {
            Message message = XmppClients.next(inbox, Duration.ofSeconds(10));
            assertThat(message).isNotNull();
            assertThat(message.getBody()).isEqualTo("Wherefore art thou?");
            assertThat(message.getFrom().toString()).isEqualTo("romeo@localhost/orchard");
            DelayInformation delay = DelayInformation.from(message);
            assertThat(delay).isNotNull();
            assertThat(delay.getFrom()).isEqualTo("localhost");
            assertThat(delay.getStamp().toInstant()).isBetween(before, Instant.now());
        } finally {
            juliet.disconnect();
        }
        // Delivered means deleted: the next login brings nothing.
        XMPPTCPConnection again = unconnected("juliet", "balcony");
        BlockingQueue<Message> secondInbox = XmppClients.inbox(again);
        again.connect().login();
        try {
            assertThat(XmppClients.next(secondInbox, Duration.ofSeconds(2))).isNull();
        } finally {
            again.disconnect();
        }
    }

    @Test
    void aFullStoreAnswersResourceConstraintAndHeadlinesChatStatesAndNoStoreAreNeverKept() throws Exception {
        XMPPTCPConnection tybalt = login("tybalt", "street");
        BlockingQueue<Message> tybaltErrors = errors(tybalt);
        try {
            send(tybalt, "nurse@localhost", Message.Type.headline, "news");
            // Neither a bare chat state (XEP-0085 §5.6) nor a no-store message (XEP-0334) takes a place.
            tybalt.sendStanza(tybalt.getStanzaFactory().buildMessageStanza().to(JidCreate.from("nurse@localhost"))
                    .ofType(Message.Type.chat).addExtension(new ChatStateExtension(ChatState.composing)).build());
            tybalt.sendStanza(tybalt.getStanzaFactory().buildMessageStanza().to(JidCreate.from("nurse@localhost"))
                    .ofType(Message.Type.chat).setBody("not kept")
                    .addExtension(StandardExtensionElement.builder("no-store", "urn:xmpp:hints").build()).build());
            send(tybalt, "nurse@localhost", Message.Type.chat, "first");
            send(tybalt, "nurse@localhost", Message.Type.normal, "second");
            send(tybalt, "nurse@localhost", Message.Type.chat, "third");

            Message error = tybaltErrors.poll(10, TimeUnit.SECONDS);
            assertThat(error).isNotNull();
            assertThat(error.getBody()).isEqualTo("third");
            assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.resource_constraint);
            assertThat(error.getError().getType()).isEqualTo(StanzaError.Type.WAIT);
        } finally {
            tybalt.disconnect();
        }
        XMPPTCPConnection nurse = unconnected("nurse", "kitchen");
        BlockingQueue<Message> inbox = XmppClients.inbox(nurse);
        nurse.connect().login();
        try {
            // Smack's asynchronous listeners may reorder what the server sent in order.
            List<String> bodies = List.of(XmppClients.next(inbox, Duration.ofSeconds(10)).getBody(),
                    XmppClients.next(inbox, Duration.ofSeconds(10)).getBody());
            assertThat(bodies).containsExactlyInAnyOrder("first", "second");
            assertThat(XmppClients.next(inbox, Duration.ofSeconds(2))).isNull();
        } finally {
            nurse.disconnect();
        }
    }

    @Test
    void aStoredMessageThatCannotBeReadDoesNotHoldBackTheOthers() throws Exception {
        XMPPTCPConnection romeo = login("romeo", "poison");
        try {
            send(romeo, "benvolio@localhost", Message.Type.chat, "first");
            send(romeo, "benvolio@localhost", Message.Type.chat, "second");
            awaitStored(romeo, "benvolio@localhost");
            // However it got there, a row with a character no XML 1.0 document may hold (U+0000).
            JdbcClient.create(server.context().getBean(DataSource.class))
                    .sql("INSERT INTO offline_messages (username, stanza) VALUES (?, ?)")
                    .params("benvolio", "<message xmlns='jabber:client' type='chat'><body>\u0000</body></message>").update();
        } finally {
            romeo.disconnect();
        }
        for (int login = 0; login < 2; login++) {
            XMPPTCPConnection benvolio = unconnected("benvolio", "square");
            BlockingQueue<Message> inbox = XmppClients.inbox(benvolio);
            benvolio.connect().login();
            try {
                if (login == 0) {
                    assertThat(XmppClients.next(inbox, Duration.ofSeconds(10)).getBody()).isEqualTo("first");
                    assertThat(XmppClients.next(inbox, Duration.ofSeconds(10)).getBody()).isEqualTo("second");
                }
                XmppClients.assertStillChats(benvolio); // and the next login works too, with nothing left over
                List<String> leftOver = new ArrayList<>();
                for (Message m; (m = XmppClients.next(inbox, Duration.ofSeconds(10))) != null
                        && !"still here".equals(m.getBody()); ) {
                    leftOver.add(m.getBody());
                }
                assertThat(leftOver).isEmpty();
            } finally {
                benvolio.disconnect();
            }
        }
    }

    /** The account's stanzas are handled in order: once an IQ to its bare JID is answered, what came before is stored. */
    private static void awaitStored(XMPPTCPConnection from, String account) throws Exception {
        RawIq.errorOf(from, RawIq.get(JidCreate.entityBareFrom(account), "vCard", "vcard-temp", ""));
    }
}
