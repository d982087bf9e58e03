package io.aviary.standalone.e2e;

import static io.aviary.standalone.e2e.MucEndToEndTest.nextBody;
import static io.aviary.standalone.e2e.StreamManagementEndToEndTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0357.PushRegistrationStore;
import java.io.StringReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * XEP-0357 push as its users meet it: an app server (a resource of a local account: an IQ to a bare JID would be
 * answered by the server itself) records the PubSub publishes it gets; users enable and disable push with Smack's
 * PushNotificationsManager, are away with a hibernated XEP-0198 session or offline, and Bob (of the bystander pair,
 * who keeps chatting with Carol throughout) writes to them. Bodies are included in the notifications so that each
 * notification says which message it is for.
 */
class PushEndToEndTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String DATA_FORMS = "jabber:x:data";
    private static final String PUSH = "urn:xmpp:push:0";
    private static final String SUMMARY = "urn:xmpp:push:summary";
    /** The node the app server no longer knows: it answers item-not-found. */
    private static final String GONE_NODE = "frank-old-phone";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static AviaryTestServer server;
    private static BystanderPair bystanders;
    private static XMPPTCPConnection appServer;
    private static Jid appServerJid;
    private static final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    private static BlockingQueue<Message> appServerInbox;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.push.include-body=true");
        bystanders = new BystanderPair(server);
        for (String user : List.of("appserver", "alice", "dave", "erin", "frank", "gina")) {
            server.accounts().register(user, user + "-pw");
        }
        appServer = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "appserver", "appserver-pw", null)
                .setResource("push").build());
        appServerJid = JidCreate.from("appserver@localhost/push");
        appServerInbox = XmppClients.inbox(appServer);
        appServer.registerIQRequestHandler(new AbstractIqRequestHandler("pubsub", PUBSUB, IQ.Type.set,
                IQRequestHandler.Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ publish) {
                Notification notification = Notification.of(publish);
                notifications.add(notification);
                return GONE_NODE.equals(notification.node())
                        ? IQ.createErrorResponse(publish, StanzaError.getBuilder(StanzaError.Condition.item_not_found)
                                .setType(StanzaError.Type.CANCEL).build())
                        : IQ.createResultIQ(publish);
            }
        });
    }

    @AfterAll
    static void stop() {
        appServer.disconnect();
        bystanders.close();
        server.close();
    }

    @BeforeEach
    void forgetEarlierTests() {
        // Each test shows itself that nothing else came (assertNothingPushedFor); a failed one leaves no noise.
        notifications.clear();
    }

    @Test
    void aliceIsNotifiedOncePerBurstWhileHerSessionHibernatesAndNoLongerOnceSheDisabledPush() throws Exception {
        XMPPTCPConnection alice = loggedInResumable("alice");
        EntityFullJid phone = JidCreate.entityFullFrom("alice@localhost/phone");
        try {
            BlockingQueue<Message> inbox = XmppClients.inbox(alice);
            assertThat(push(alice).isSupported()).as("urn:xmpp:push:0 on alice's account").isTrue();
            assertThat(push(alice).enable(appServerJid, "alice-node")).isTrue();

            bobTells("alice", "are you there?");
            assertThat(received(inbox)).isEqualTo("are you there?");
            alice.instantShutdown();
            awaitTrue("alice's session hibernated", () -> session(phone).map(SessionEntry::hibernated).orElse(false));
            bobTells("alice", "call me");
            // The first notification is for the message that found her away: the one she read connected got none.
            Notification first = nextNotification();
            assertThat(first.from()).isEqualTo("alice@localhost");
            assertThat(first.node()).isEqualTo("alice-node");
            assertThat(first.summary()).containsEntry("FORM_TYPE", SUMMARY).containsEntry("message-count", "1")
                    .containsEntry("last-message-body", "call me");
            assertThat(first.summary().get("last-message-sender")).startsWith("bob@localhost");
            bystanders.stillChat();

            // Within the burst: counted, not notified.
            bobTells("alice", "it's urgent");
            alice.connect().login();
            assertThat(alice.streamWasResumed()).isTrue();
            assertThat(received(inbox)).isEqualTo("call me");
            assertThat(received(inbox)).isEqualTo("it's urgent");
            // A message that reaches her connected ends the burst: her next absence is notified afresh.
            bobTells("alice", "there you are");
            assertThat(received(inbox)).isEqualTo("there you are");
            alice.instantShutdown();
            awaitTrue("alice's session hibernated again",
                    () -> session(phone).map(SessionEntry::hibernated).orElse(false));
            bobTells("alice", "gone again?");
            Notification second = nextNotification();
            assertThat(second.summary()).containsEntry("message-count", "1")
                    .containsEntry("last-message-body", "gone again?");

            alice.connect().login();
            assertThat(alice.streamWasResumed()).isTrue();
            assertThat(received(inbox)).isEqualTo("gone again?");
            assertThat(push(alice).disable(appServerJid, "alice-node")).isTrue();
            logOut(alice, "alice");
            bobTells("alice", "for later");
        } finally {
            alice.disconnect();
        }
        XMPPTCPConnection again = connection("alice");
        BlockingQueue<Message> offline = XmppClients.inbox(again);
        again.connect().login();
        try {
            assertThat(received(offline)).as("stored offline").isEqualTo("for later");
            assertNothingPushedFor(again);
        } finally {
            again.disconnect();
        }
        bystanders.stillChat();
    }

    /**
     * A phone whose connection dropped is woken for its rooms as for its chats: a groupchat message that only its
     * hibernated session got is notified, as from the occupant who wrote it (Prosody does the same for what waits in
     * a hibernated session's queue); one it got connected is not, nor is a subject change.
     */
    @Test
    void ginaIsNotifiedOfARoomsMessageThatFoundHerSessionHibernated() throws Exception {
        XMPPTCPConnection gina = loggedInResumable("gina");
        EntityFullJid phone = JidCreate.entityFullFrom("gina@localhost/phone");
        MultiUserChat byBob = MultiUserChatManager.getInstanceFor(bystanders.bob())
                .getMultiUserChat(JidCreate.entityBareFrom("ginas-friends@conference.localhost"));
        try {
            assertThat(push(gina).enable(appServerJid, "gina-node")).isTrue();
            byBob.create(Resourcepart.from("bob")).makeInstant();
            MultiUserChat byGina = MultiUserChatManager.getInstanceFor(gina).getMultiUserChat(byBob.getRoom());
            byGina.join(Resourcepart.from("gina"));
            byBob.sendMessage("welcome, gina");
            assertThat(nextBody(byGina).getBody()).isEqualTo("welcome, gina");
            assertNothingPushedFor(gina);

            gina.instantShutdown();
            awaitTrue("gina's session hibernated", () -> session(phone).map(SessionEntry::hibernated).orElse(false));
            byBob.changeSubject("plans for tonight");
            byBob.sendMessage("dinner at eight?");
            Notification notification = nextNotification();
            assertThat(notification.from()).isEqualTo("gina@localhost");
            assertThat(notification.node()).isEqualTo("gina-node");
            assertThat(notification.summary()).containsEntry("message-count", "1")
                    .containsEntry("last-message-body", "dinner at eight?")
                    .containsEntry("last-message-sender", byBob.getRoom() + "/bob");
            bystanders.stillChat();

            gina.connect().login();
            assertThat(gina.streamWasResumed()).isTrue();
            assertThat(nextBody(byGina).getBody()).as("queued while away")
                    .isEqualTo("dinner at eight?");
            assertNothingPushedFor(gina);
        } finally {
            byBob.leave();
            gina.disconnect();
        }
        bystanders.stillChat();
    }

    @Test
    void aFreshRegistrationIsNotifiedOfAMessageStoredOffline() throws Exception {
        XMPPTCPConnection erin = login("erin");
        assertThat(push(erin).enable(appServerJid, "erin-node")).isTrue();
        logOut(erin, "erin");

        bobTells("erin", "see you at eight");
        Notification notification = nextNotification();
        assertThat(notification.from()).isEqualTo("erin@localhost");
        assertThat(notification.node()).isEqualTo("erin-node");
        assertThat(notification.summary()).containsEntry("FORM_TYPE", SUMMARY).containsEntry("message-count", "1")
                .containsEntry("last-message-body", "see you at eight");
        assertThat(notification.summary().get("last-message-sender")).startsWith("bob@localhost");

        XMPPTCPConnection back = connection("erin");
        BlockingQueue<Message> inbox = XmppClients.inbox(back);
        back.connect().login();
        try {
            assertThat(received(inbox)).isEqualTo("see you at eight");
            assertNothingPushedFor(back);
        } finally {
            back.disconnect();
        }
        bystanders.stillChat();
    }

    @Test
    void aRegistrationWhoseAppServerAnswersWithAnErrorIsRemoved() throws Exception {
        XMPPTCPConnection frank = login("frank");
        assertThat(push(frank).enable(appServerJid, GONE_NODE)).isTrue();
        logOut(frank, "frank");

        bobTells("frank", "first");
        assertThat(nextNotification().node()).isEqualTo(GONE_NODE);
        // XEP-0357 §"Publish Errors": the server SHOULD consider the JID and node combination disabled.
        awaitTrue("frank's registration removed", () -> registrations().registrations("frank@localhost").isEmpty());
        bobTells("frank", "second");

        XMPPTCPConnection back = connection("frank");
        BlockingQueue<Message> inbox = XmppClients.inbox(back);
        back.connect().login();
        try {
            assertThat(received(inbox)).isEqualTo("first");
            assertThat(received(inbox)).isEqualTo("second");
            assertNothingPushedFor(back);
        } finally {
            back.disconnect();
        }
        bystanders.stillChat();
    }

    @Test
    void enablingWithoutTheAppServersJidIsABadRequest() throws Exception {
        XMPPTCPConnection dave = login("dave");
        try {
            RawIq enable = RawIq.set(JidCreate.entityBareFrom("dave@localhost"), "enable", PUSH, "");
            try {
                dave.sendIqRequestAndWaitForResponse(enable);
                throw new AssertionError("an enable without 'jid' was accepted");
            } catch (XMPPException.XMPPErrorException e) {
                assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.bad_request);
                assertThat(e.getStanzaError().getDescriptiveText()).contains("'jid'");
            }
            assertThat(registrations().registrations("dave@localhost")).isEmpty();
        } finally {
            dave.disconnect();
        }
        bystanders.stillChat();
    }

    /**
     * Asserts that no notification came for {@code user}'s earlier messages. The bus keeps one order per key: the
     * archive service handles the owner's records and push commands in order, so once a push command is answered
     * every notification for earlier records has gone to the router, on the app server's key, ahead of a message
     * {@code user} sends the app server after that; when that message arrives, so had they.
     */
    private static void assertNothingPushedFor(XMPPTCPConnection user) throws Exception {
        assertThat(push(user).disable(appServerJid, "no-such-node")).isTrue();
        String marker = "after " + user.getUser();
        user.sendStanza(user.getStanzaFactory().buildMessageStanza().to(appServerJid).ofType(Message.Type.chat)
                .setBody(marker).build());
        Message arrived = XmppClients.next(appServerInbox, WAIT);
        assertThat(arrived).as("the app server got %s", marker).isNotNull();
        assertThat(arrived.getBody()).isEqualTo(marker);
        assertThat(notifications).as("notifications for %s", user.getUser()).isEmpty();
    }

    /** XEP-0357 §"Publishing Notifications": what the app server got, as it would read it. */
    private record Notification(String from, String node, Map<String, String> summary) {

        static Notification of(IQ publish) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                // Smack keeps the item's payload as parsed XML and writes it back with an empty-prefixed copy of
                // each default namespace declaration (xmlns:='...', its own single quotes), which is not XML.
                String xml = publish.toXML().toString().replace(" xmlns:='" + PUSH + "'", "")
                        .replace(" xmlns:='" + DATA_FORMS + "'", "");
                Document iq = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
                Element item = (Element) iq.getElementsByTagNameNS(PUBSUB, "publish").item(0);
                Element notification = (Element) item.getElementsByTagNameNS(PUSH, "notification").item(0);
                Map<String, String> summary = new HashMap<>();
                NodeList fields = notification.getElementsByTagNameNS(DATA_FORMS, "field");
                for (int i = 0; i < fields.getLength(); i++) {
                    Element field = (Element) fields.item(i);
                    summary.put(field.getAttribute("var"),
                            field.getElementsByTagNameNS(DATA_FORMS, "value").item(0).getTextContent());
                }
                return new Notification(publish.getFrom().toString(), item.getAttribute("node"), summary);
            } catch (Exception e) {
                throw new IllegalStateException("not a push notification: " + publish.toXML(), e);
            }
        }
    }

    private static Notification nextNotification() throws InterruptedException {
        Notification notification = notifications.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(notification).as("a push notification to the app server").isNotNull();
        return notification;
    }

    private static void bobTells(String user, String body) throws Exception {
        XMPPTCPConnection bob = bystanders.bob();
        bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(user + "@localhost").ofType(Message.Type.chat)
                .setBody(body).build());
    }

    private static String received(BlockingQueue<Message> inbox) throws InterruptedException {
        Message message = XmppClients.next(inbox, WAIT);
        assertThat(message).as("a message").isNotNull();
        return message.getBody();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        XMPPTCPConnection connection = connection(user);
        connection.connect().login();
        return connection;
    }

    /** Not yet connected: a test can listen before the server hands over what it stored offline. */
    private static XMPPTCPConnection connection(String user) throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), user,
                user + "-pw", null).setResource("phone").build());
        connection.setReplyTimeout(WAIT.toMillis());
        return connection;
    }

    /**
     * Logged in with XEP-0198 and resumption: when its socket dies without closing the stream, its session hibernates.
     */
    private static XMPPTCPConnection loggedInResumable(String user) throws Exception {
        XMPPTCPConnection connection = connection(user);
        connection.setUseStreamManagement(true);
        connection.setUseStreamManagementResumption(true);
        connection.connect().login();
        return connection;
    }

    /** Closes the stream cleanly and waits until the server ended the session: the next message is stored offline. */
    private static void logOut(XMPPTCPConnection connection, String user) throws Exception {
        connection.disconnect();
        EntityFullJid phone = JidCreate.entityFullFrom(user + "@localhost/phone");
        awaitTrue(user + "'s session ended", () -> session(phone).isEmpty());
    }

    private static PushNotificationsManager push(XMPPTCPConnection connection) {
        return PushNotificationsManager.getInstanceFor(connection);
    }

    private static Optional<SessionEntry> session(EntityFullJid resource) {
        return server.context().getBean(SessionRegistry.class).session(resource);
    }

    private static PushRegistrationStore registrations() {
        return server.context().getBean(PushRegistrationStore.class);
    }
}
