package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.RawComponent;
import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0114 external components, spoken by a raw socket as a gateway would: the handshake, stanzas both ways between
 * a component and a Smack user, the stream errors of a component that gets something wrong, and a user's message to
 * a component that is not connected. Bob and Carol chat throughout, unaffected.
 */
class ComponentEndToEndTest {

    private static final Pattern FROM = Pattern.compile("<message[^>]*\\sfrom=['\"]([^'\"]+)['\"]");

    private static AviaryTestServer server;
    private static int port;
    private static XMPPTCPConnection alice;
    private static BlockingQueue<Message> aliceInbox;
    private static RawComponent echo;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start(
                "aviary.components.services[0].domain=echo.localhost",
                "aviary.components.services[0].secret=echo-secret",
                "aviary.components.services[0].name=Echo service",
                "aviary.components.services[1].domain=idle.localhost",
                "aviary.components.services[1].secret=idle-secret",
                "aviary.components.services[2].domain=spare.localhost",
                "aviary.components.services[2].secret=spare-secret",
                "aviary.components.handshake-timeout=2s");
        port = server.context().getBean(io.aviary.xep0114.ComponentListener.class).port();
        server.accounts().register("alice", "alice-pw");
        alice = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null)
                .setResource("desk").build());
        aliceInbox = XmppClients.inbox(alice);
        bystanders = new BystanderPair(server);
        echo = RawComponent.connect(port, "echo.localhost", "echo-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        bystanders.close();
        alice.disconnect();
        echo.close();
        server.close();
    }

    @Test
    void aUsersMessagesReachTheComponentAndItsAnswersReachTheUser() throws Exception {
        for (String to : new String[] {"echo.localhost", "user@echo.localhost", "user@echo.localhost/bot"}) {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                    .ofType(Message.Type.chat).setBody("ping " + to).build());
            String received = echo.expect("</message>");
            assertThat(received).contains("to=\"" + to + "\"").contains("from=\"alice@localhost/desk\"")
                    .contains("<body>ping " + to + "</body>");
            // In the component's content namespace, not jabber:client.
            assertThat(received).doesNotContain("jabber:client");
            Matcher from = FROM.matcher(received);
            assertThat(from.find()).isTrue();
            echo.send("<message from='" + to + "' to='" + from.group(1) + "' type='chat'><body>pong " + to
                    + "</body></message>");
            Message answer = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
            assertThat(answer).as("the answer from %s", to).isNotNull();
            assertThat(answer.getFrom().toString()).isEqualTo(to);
            assertThat(answer.getBody()).isEqualTo("pong " + to);
        }
        bystanders.stillChat();
    }

    @Test
    void theComponentMaySpeakFirstToAUsersBareJid() throws Exception {
        echo.send("<message from='news@echo.localhost' to='alice@localhost' type='chat'><body>hello alice</body></message>");
        Message message = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
        assertThat(message).isNotNull();
        assertThat(message.getFrom().toString()).isEqualTo("news@echo.localhost");
        assertThat(message.getBody()).isEqualTo("hello alice");
    }

    @Test
    void aUsersIqIsAnsweredByTheComponentAndTheDomainListsIt() throws Exception {
        Thread answerer = new Thread(() -> {
            try {
                String iq = echo.expect("</iq>");
                Matcher id = Pattern.compile("id=\"([^\"]+)\"").matcher(iq);
                Matcher from = Pattern.compile("from=\"([^\"]+)\"").matcher(iq);
                if (id.find() && from.find()) {
                    echo.send("<iq type='result' from='echo.localhost' to='" + from.group(1) + "' id='" + id.group(1)
                            + "'><query xmlns='http://jabber.org/protocol/disco#info'>"
                            + "<identity category='gateway' type='irc' name='Echo'/>"
                            + "<feature var='http://jabber.org/protocol/disco#info'/></query></iq>");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        answerer.start();
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(JidCreate.from("echo.localhost"));
        answerer.join(10_000);
        assertThat(info.getIdentities()).singleElement().satisfies(identity -> {
            assertThat(identity.getCategory()).isEqualTo("gateway");
            assertThat(identity.getType()).isEqualTo("irc");
        });

        DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(alice).discoverItems(JidCreate.from("localhost"));
        assertThat(items.getItems()).anySatisfy(item -> {
            assertThat(item.getEntityID().toString()).isEqualTo("echo.localhost");
            assertThat(item.getName()).isEqualTo("Echo service");
        });
        assertThat(items.getItems()).extracting(item -> item.getEntityID().toString())
                .contains("idle.localhost", "spare.localhost");
    }

    @Test
    void aMessageToAComponentThatIsNotConnectedBouncesWithServiceUnavailable() throws Exception {
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("someone@idle.localhost"))
                .ofType(Message.Type.chat).setBody("anyone there?").build());
        Message bounce = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
        assertThat(bounce).isNotNull();
        assertThat(bounce.getType()).isEqualTo(Message.Type.error);
        assertThat(bounce.getFrom().toString()).isEqualTo("someone@idle.localhost");
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        bystanders.stillChat();
    }

    @Test
    void aWrongSecretIsNotAuthorized() throws Exception {
        try (RawComponent impostor = RawComponent.open(port, "spare.localhost")) {
            String answer = impostor.handshake("guessed");
            assertThat(answer).contains("<not-authorized xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>")
                    .doesNotContain("<handshake/>");
            assertThat(impostor.awaitClose(5_000)).isTrue();
        }
        bystanders.stillChat();
    }

    @Test
    void anUnconfiguredDomainIsAnUnknownHost() throws Exception {
        try (RawComponent stranger = RawComponent.open(port, "stranger.localhost")) {
            String answer = stranger.handshake("whatever");
            assertThat(answer).contains("<stream:stream").contains("<host-unknown");
            assertThat(stranger.awaitClose(5_000)).isTrue();
        }
        bystanders.stillChat();
    }

    @Test
    void aComponentSpeakingForAnotherDomainIsCutOffWithInvalidFrom() throws Exception {
        try (RawComponent spare = RawComponent.connect(port, "spare.localhost", "spare-secret")) {
            spare.send("<message from='admin@localhost' to='alice@localhost' type='chat'><body>I am admin</body></message>");
            assertThat(spare.read("</stream:stream>")).contains("<invalid-from");
            assertThat(spare.awaitClose(5_000)).isTrue();
        }
        assertThat(XmppClients.next(aliceInbox, Duration.ofMillis(500))).as("nothing spoofed reached alice").isNull();
        // The domain is free again once the stream ended: the same component reconnects.
        try (RawComponent again = connectWhenFree("spare.localhost", "spare-secret")) {
            again.send("<message from='spare.localhost' to='alice@localhost/desk' type='chat'><body>back</body></message>");
            Message back = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
            assertThat(back).isNotNull();
            assertThat(back.getBody()).isEqualTo("back");
        }
        bystanders.stillChat();
    }

    @Test
    void aSecondConnectionForAConnectedDomainIsAConflictAndTheFirstStaysUp() throws Exception {
        try (RawComponent second = RawComponent.open(port, "echo.localhost")) {
            assertThat(second.handshake("echo-secret")).contains("<conflict");
            assertThat(second.awaitClose(5_000)).isTrue();
        }
        echo.send("<message from='echo.localhost' to='alice@localhost/desk' type='chat'><body>still mine</body></message>");
        Message message = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
        assertThat(message).isNotNull();
        assertThat(message.getBody()).isEqualTo("still mine");
    }

    @Test
    void aStanzaBeforeTheHandshakeIsNotAuthorized() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(port)) {
            raw.send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='spare.localhost'>"
                    + "<message from='spare.localhost' to='alice@localhost'><body>early</body></message>");
            assertThat(raw.readUntil("</stream:stream>", 10_000)).contains("<not-authorized");
            assertThat(raw.awaitClose(5_000)).isTrue();
        }
        assertThat(XmppClients.next(aliceInbox, Duration.ofMillis(500))).isNull();
    }

    @Test
    void aClientStreamOnTheComponentPortIsRefusedWithInvalidNamespace() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(port)) {
            raw.send(RawXmppSocket.HEADER);
            assertThat(raw.readUntil("</stream:stream>", 10_000)).contains("<invalid-namespace");
            assertThat(raw.awaitClose(5_000)).isTrue();
        }
        bystanders.stillChat();
    }

    @Test
    void theComponentAsksTheServerAndGetsItsAnswer() throws Exception {
        echo.send("<iq type='get' id='info1' from='echo.localhost' to='localhost'>"
                + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        String answer = echo.expect("</iq>");
        assertThat(answer).contains("type=\"result\"").contains("id=\"info1\"").contains("to=\"echo.localhost\"")
                .contains("category=\"server\"");
    }

    @Test
    void aMessageToAnotherDomainThatIsNoComponentBouncesWithRemoteServerNotFound() throws Exception {
        // .invalid never resolves (RFC 6761), also once server-to-server streams are in.
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("juliet@capulet.invalid"))
                .ofType(Message.Type.chat).setBody("wherefore").build());
        Message bounce = XmppClients.next(aliceInbox, Duration.ofSeconds(20));
        assertThat(bounce).isNotNull();
        assertThat(bounce.getType()).isEqualTo(Message.Type.error);
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
    }

    @Test
    void aConnectionThatDoesNotCompleteTheHandshakeInTimeIsClosed() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(port)) {
            raw.send("<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' to='spare.localhost'>");
            assertThat(raw.readUntil("</stream:stream>", 10_000)).contains("<connection-timeout");
            assertThat(raw.awaitClose(5_000)).isTrue();
        }
    }

    /** The server notices a closed connection on its own thread: retry a refused handshake briefly. */
    private static RawComponent connectWhenFree(String domain, String secret) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            try {
                return RawComponent.connect(port, domain, secret);
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
