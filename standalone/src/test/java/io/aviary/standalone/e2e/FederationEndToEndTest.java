package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.s2s.Federation;
import io.aviary.s2s.RemoteDelivery;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.testclients.FreePorts;
import io.aviary.tls.ServerCertificate;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0114.ComponentsOnlyDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jivesoftware.smackx.push_notifications.PushNotificationsManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Two Aviary servers, a.test and b.test, federated over server-to-server streams (RFC 6120) with Server Dialback
 * (XEP-0220) over STARTTLS, found through static routes: their users chat, subscribe to each other's presence and ping
 * the other server; unreachable and denied domains bounce; a peer that speaks for a domain it did not authenticate, or
 * brings a wrong dialback key, is refused while the others' messages keep flowing.
 */
class FederationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SECRET_A = "a-dialback-secret";

    private static AviaryTestServer a;
    private static AviaryTestServer b;
    private static XMPPTCPConnection alice;
    private static XMPPTCPConnection bob;
    private static BlockingQueue<Message> aliceInbox;
    private static BlockingQueue<Message> bobInbox;

    @BeforeAll
    static void start() throws Exception {
        int[] ports = FreePorts.pick(3);
        int portA = ports[0];
        int portB = ports[1];
        int closed = ports[2];
        a = AviaryTestServer.start("aviary.domain=a.test", "aviary.s2s.port=" + portA,
                "aviary.s2s.dialback-secret=" + SECRET_A,
                "aviary.s2s.routes[b.test]=127.0.0.1:" + portB,
                "aviary.s2s.routes[nowhere.test]=127.0.0.1:" + closed,
                "aviary.s2s.deny[0]=denied.test");
        b = AviaryTestServer.start("aviary.domain=b.test", "aviary.s2s.port=" + portB,
                "aviary.s2s.dialback-secret=b-dialback-secret",
                "aviary.s2s.routes[a.test]=127.0.0.1:" + portA,
                "aviary.s2s.deny[0]=evil.test", "aviary.s2s.direct-tls-port=0");
        a.accounts().register("alice", "alice-pw");
        b.accounts().register("bob", "bob-pw");
        alice = login(a, "alice", "alice-pw");
        bob = login(b, "bob", "bob-pw");
        aliceInbox = XmppClients.inbox(alice);
        bobInbox = XmppClients.inbox(bob);
    }

    @AfterAll
    static void stop() {
        alice.disconnect();
        bob.disconnect();
        b.close();
        a.close();
    }


    private static XMPPTCPConnection login(AviaryTestServer server, String user, String password) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, password, null)
                .setXmppDomain(server.domain()).setResource("desk").build());
    }

    private static void chat(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    /** Alice and Bob still reach each other both ways. */
    private static void stillChat(String body) throws Exception {
        chat(alice, "bob@b.test", body);
        Message atBob = XmppClients.next(bobInbox, WAIT);
        assertThat(atBob).as("Bob got '%s'", body).isNotNull();
        assertThat(atBob.getBody()).isEqualTo(body);
        assertThat(atBob.getFrom().toString()).isEqualTo("alice@a.test/desk");
        chat(bob, "alice@a.test/desk", "re: " + body);
        Message atAlice = XmppClients.next(aliceInbox, WAIT);
        assertThat(atAlice).as("Alice got the answer to '%s'", body).isNotNull();
        assertThat(atAlice.getBody()).isEqualTo("re: " + body);
        assertThat(atAlice.getFrom().toString()).isEqualTo("bob@b.test/desk");
    }

    @Test
    void usersOfTwoServersChatBothWays() throws Exception {
        stillChat("hello from a.test");
    }

    @Test
    void aPushNotificationReachesAnAppServerOnTheOtherServer() throws Exception {
        // XEP-0357: Carol's phone registered with an app server that is a resource on b.test; she is offline when
        // Alice writes, so a.test publishes the notification to it over the server-to-server stream.
        b.accounts().register("appserver", "appserver-pw");
        a.accounts().register("carol", "carol-pw");
        BlockingQueue<IQ> publishes = new LinkedBlockingQueue<>();
        XMPPTCPConnection appServer = XmppClients.connect(XmppClients.startTls(b.c2sPort(), "appserver", "appserver-pw",
                null).setXmppDomain(b.domain()).setResource("push").build());
        try {
            appServer.registerIQRequestHandler(new AbstractIqRequestHandler("pubsub", "http://jabber.org/protocol/pubsub",
                    IQ.Type.set, IQRequestHandler.Mode.sync) {
                @Override
                public IQ handleIQRequest(IQ publish) {
                    publishes.add(publish);
                    return IQ.createResultIQ(publish);
                }
            });
            XMPPTCPConnection carol = login(a, "carol", "carol-pw");
            assertThat(PushNotificationsManager.getInstanceFor(carol)
                    .enable(JidCreate.from("appserver@b.test/push"), "carol-phone")).isTrue();
            carol.disconnect();

            chat(alice, "carol@a.test", "are you awake?");

            IQ publish = publishes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(publish).as("the notification reached b.test's app server").isNotNull();
            assertThat(publish.getFrom().toString()).isEqualTo("carol@a.test");
            assertThat(publish.toXML().toString()).contains("node='carol-phone'", "urn:xmpp:push:summary");
            stillChat("after the push");
        } finally {
            appServer.disconnect();
        }
    }

    @Test
    void aRemoteUserJoinsARoomAndChatsWithALocalOccupant() throws Exception {
        EntityBareJid address = JidCreate.entityBareFrom("verona@conference.a.test");
        MultiUserChat byAlice = MultiUserChatManager.getInstanceFor(alice).getMultiUserChat(address);
        byAlice.create(Resourcepart.from("alice")).makeInstant();
        MultiUserChat byBob = MultiUserChatManager.getInstanceFor(bob).getMultiUserChat(address);
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        BlockingQueue<Message> atBob = new LinkedBlockingQueue<>();
        byAlice.addMessageListener(atAlice::add);
        byBob.addMessageListener(atBob::add);
        try {
            byBob.join(Resourcepart.from("bob"));
            assertThat(byBob.getOccupants()).as("bob@b.test sees the room's occupants")
                    .contains(JidCreate.entityFullFrom("verona@conference.a.test/alice"));

            byBob.sendMessage("greetings from b.test");
            Message heard = atAlice.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(heard).isNotNull();
            assertThat(heard.getBody()).isEqualTo("greetings from b.test");
            assertThat(heard.getFrom().toString()).isEqualTo("verona@conference.a.test/bob");
            byAlice.sendMessage("welcome to a.test");
            assertThat(nextBody(atBob, "welcome to a.test")).as("the room's message crossed to b.test").isTrue();
        } finally {
            byBob.leave();
            byAlice.leave();
        }
        // The room's messages came before each one's exit (one lane per room): none is left for the other tests.
        aliceInbox.removeIf(message -> message.getType() == Message.Type.groupchat);
        bobInbox.removeIf(message -> message.getType() == Message.Type.groupchat);
        stillChat("after the room");
    }

    /** Whether {@code body} arrives in {@code inbox} within the wait (the room also reflects one's own messages). */
    private static boolean nextBody(BlockingQueue<Message> inbox, String body) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = inbox.poll(200, TimeUnit.MILLISECONDS);
            if (message != null && body.equals(message.getBody())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void usersOfTwoServersSubscribeToEachOthersPresence() throws Exception {
        Roster aliceRoster = Roster.getInstanceFor(alice);
        Roster bobRoster = Roster.getInstanceFor(bob);
        aliceRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        bobRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        BareJid bobJid = JidCreate.bareFrom("bob@b.test");
        BareJid aliceJid = JidCreate.bareFrom("alice@a.test");

        aliceRoster.createItemAndRequestSubscription(bobJid, "Bob", null);
        await().atMost(WAIT).until(() -> aliceRoster.getEntry(bobJid) != null
                && aliceRoster.getEntry(bobJid).getType() == ItemType.to);
        await().atMost(WAIT).until(() -> aliceRoster.getPresence(bobJid).isAvailable());

        bobRoster.createItemAndRequestSubscription(aliceJid, "Alice", null);
        await().atMost(WAIT).until(() -> bobRoster.getEntry(aliceJid) != null
                && bobRoster.getEntry(aliceJid).getType() == ItemType.both);
        await().atMost(WAIT).until(() -> bobRoster.getPresence(aliceJid).isAvailable());
        await().atMost(WAIT).until(() -> aliceRoster.getEntry(bobJid).getType() == ItemType.both);
    }

    @Test
    void aUserPingsTheOtherServer() throws Exception {
        IQ pong = alice.sendIqRequestAndWaitForResponse(new Ping(JidCreate.domainBareFrom("b.test")));
        assertThat(pong.getType()).isEqualTo(IQ.Type.result);
        assertThat(pong.getFrom().toString()).isEqualTo("b.test");
    }

    /**
     * XEP-0288: g.test's stream to h.test asks for bidi, so h.test answers on it and never connects to g.test; a
     * stanza that h.test sends on it from a domain other than its own ends the stream.
     */
    @Test
    void theOtherServerAnswersOnTheStreamThatReachedIt() throws Exception {
        int[] ports = FreePorts.pick(2);
        try (AviaryTestServer g = AviaryTestServer.start("aviary.domain=g.test", "aviary.s2s.port=" + ports[0],
                     "aviary.s2s.routes[h.test]=127.0.0.1:" + ports[1]);
             AviaryTestServer h = AviaryTestServer.start("aviary.domain=h.test", "aviary.s2s.port=" + ports[1],
                     "aviary.s2s.routes[g.test]=127.0.0.1:" + ports[0])) {
            g.accounts().register("gina", "gina-pw");
            h.accounts().register("hugo", "hugo-pw");
            XMPPTCPConnection gina = login(g, "gina", "gina-pw");
            XMPPTCPConnection hugo = login(h, "hugo", "hugo-pw");
            try {
                BlockingQueue<Message> atGina = XmppClients.inbox(gina);
                BlockingQueue<Message> atHugo = XmppClients.inbox(hugo);
                chat(gina, "hugo@h.test", "one stream");
                assertThat(XmppClients.next(atHugo, WAIT)).isNotNull();
                chat(hugo, "gina@g.test/desk", "for both ways");
                Message reply = XmppClients.next(atGina, WAIT);
                assertThat(reply).isNotNull();
                assertThat(reply.getBody()).isEqualTo("for both ways");

                MeterRegistry atH = h.context().getBean(MeterRegistry.class);
                assertThat(atH.find("xmpp.s2s.authentications").tag("direction", "out").counters())
                        .as("h.test opened no stream of its own").isEmpty();
                assertThat(atH.get("xmpp.s2s.authentications").tag("direction", "in").counter().count()).isEqualTo(1.0);
            } finally {
                gina.disconnect();
                hugo.disconnect();
            }
        }
    }

    /** The condition of the error a ping of {@code domain} gets, or null when it is answered. */
    private static StanzaError.Condition pingError(XMPPTCPConnection connection, String domain) throws Exception {
        connection.setReplyTimeout(WAIT.toMillis());
        try {
            connection.sendIqRequestAndWaitForResponse(new Ping(JidCreate.domainBareFrom(domain)));
            return null;
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
    }

    @Test
    void aDomainThatCannotBeReachedBouncesWithRemoteServerNotFound() throws Exception {
        chat(alice, "nobody@nowhere.test", "anyone?");
        Message bounce = XmppClients.next(aliceInbox, WAIT);
        assertThat(bounce).isNotNull();
        assertThat(bounce.getType()).isEqualTo(Message.Type.error);
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        // Within aviary.s2s.retry-delay the next stanza bounces at once, without another connection attempt.
        chat(alice, "nobody@nowhere.test", "still nobody?");
        Message again = XmppClients.next(aliceInbox, WAIT);
        assertThat(again).isNotNull();
        assertThat(again.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        assertThat(a.context().getBean(MeterRegistry.class).get("xmpp.s2s.failures").tag("reason", "retry-delay")
                .counter().count()).isEqualTo(1.0);
        stillChat("after an unreachable domain");
    }

    @Test
    void aDeniedDomainIsNotFederatedWith() throws Exception {
        chat(alice, "mallory@denied.test", "psst");
        Message bounce = XmppClients.next(aliceInbox, WAIT);
        assertThat(bounce).isNotNull();
        assertThat(bounce.getType()).isEqualTo(Message.Type.error);
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.policy_violation);

        try (RawXmppSocket raw = new RawXmppSocket(b.s2sPort())) {
            String answer = raw.step(header("evil.test", "b.test"), "</stream:stream>");
            assertThat(answer).contains("<policy-violation");
        }
        stillChat("after a denied domain");
    }

    @Test
    void aPeerThatSpeaksForADomainItDidNotAuthenticateIsCutOff() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(b.s2sPort())) {
            String streamId = secured(raw, "a.test", "b.test");
            // Knowing a.test's secret, the peer computes a valid key: b.test asks a.test, which confirms it.
            String key = new DialbackKeys(SECRET_A).key("b.test", "a.test", streamId);
            String result = raw.step("<db:result from='a.test' to='b.test'>" + key + "</db:result>", "<db:result");
            assertThat(result).contains("type='valid'");

            raw.send("<message from='mallory@y.test' to='bob@b.test/desk' type='chat'><body>trust me</body></message>");
            assertThat(raw.readUntil("</stream:stream>", 10_000)).contains("<invalid-from");
        }
        stillChat("after a forged sender");
    }

    @Test
    void theDirectTlsPortOffersDialbackWithoutStartTls() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(b.context().getBean(Federation.class).directTlsPort())) {
            raw.upgradeToTls();
            String features = raw.step(header("a.test", "b.test"), "</stream:features>");
            assertThat(features).contains("urn:xmpp:features:dialback").doesNotContain("starttls");
            Matcher id = Pattern.compile("id='([^']+)'").matcher(features);
            assertThat(id.find()).isTrue();
            String key = new DialbackKeys(SECRET_A).key("b.test", "a.test", id.group(1));
            assertThat(raw.step("<db:result from='a.test' to='b.test'>" + key + "</db:result>", "<db:result"))
                    .contains("type='valid'");
        }
        stillChat("after a direct TLS stream");
    }

    @Test
    void aWrongDialbackKeyIsRefused() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(b.s2sPort())) {
            secured(raw, "a.test", "b.test");
            String result = raw.step("<db:result from='a.test' to='b.test'>0123456789abcdef</db:result>",
                    "</stream:stream>");
            assertThat(result).contains("type='invalid'").contains("<not-authorized");
        }
        stillChat("after a wrong key");
    }

    /**
     * c.test and d.test trust each other's certificate (aviary.s2s.trusted-certificates): their streams authenticate
     * with SASL EXTERNAL (RFC 6120 §13.7.1.2) instead of dialback; a peer without a certificate is not offered it.
     */
    @Nested
    class WithTrustedCertificates {

        @Test
        void streamsAuthenticateByCertificate() throws Exception {
            Path dirC = Files.createTempDirectory("aviary-c");
            Path dirD = Files.createTempDirectory("aviary-d");
            ServerCertificate.selfSigned(dirC.resolve("tls"), "c.test");
            ServerCertificate.selfSigned(dirD.resolve("tls"), "d.test");
            int[] ports = FreePorts.pick(2);
            int portC = ports[0];
            int portD = ports[1];
            try (AviaryTestServer c = AviaryTestServer.start(dirC, "aviary.domain=c.test", "aviary.s2s.port=" + portC,
                         "aviary.s2s.routes[d.test]=127.0.0.1:" + portD,
                         "aviary.s2s.trusted-certificates=" + dirD.resolve("tls/self-signed-d.test.crt"));
                 AviaryTestServer d = AviaryTestServer.start(dirD, "aviary.domain=d.test", "aviary.s2s.port=" + portD,
                         "aviary.s2s.routes[c.test]=127.0.0.1:" + portC,
                         "aviary.s2s.trusted-certificates=" + dirC.resolve("tls/self-signed-c.test.crt"))) {
                c.accounts().register("carla", "carla-pw");
                d.accounts().register("dave", "dave-pw");
                XMPPTCPConnection carla = login(c, "carla", "carla-pw");
                XMPPTCPConnection dave = login(d, "dave", "dave-pw");
                try {
                    BlockingQueue<Message> carlaInbox = XmppClients.inbox(carla);
                    BlockingQueue<Message> daveInbox = XmppClients.inbox(dave);
                    chat(carla, "dave@d.test", "by certificate");
                    Message atDave = XmppClients.next(daveInbox, WAIT);
                    assertThat(atDave).isNotNull();
                    assertThat(atDave.getBody()).isEqualTo("by certificate");
                    chat(dave, "carla@c.test/desk", "likewise");
                    Message atCarla = XmppClients.next(carlaInbox, WAIT);
                    assertThat(atCarla).isNotNull();
                    assertThat(atCarla.getBody()).isEqualTo("likewise");

                    // c.test's stream (with XEP-0288 bidi) carried both ways; it authenticated by certificate.
                    MeterRegistry atC = c.context().getBean(MeterRegistry.class);
                    MeterRegistry atD = d.context().getBean(MeterRegistry.class);
                    assertThat(atC.get("xmpp.s2s.authentications").tag("direction", "out")
                            .tag("method", "sasl-external").counter().count()).isEqualTo(1.0);
                    assertThat(atD.get("xmpp.s2s.authentications").tag("direction", "in")
                            .tag("method", "sasl-external").counter().count()).isEqualTo(1.0);
                    for (MeterRegistry meters : List.of(atC, atD)) {
                        assertThat(meters.find("xmpp.s2s.authentications").tag("method", "dialback").counters()).isEmpty();
                    }
                } finally {
                    carla.disconnect();
                    dave.disconnect();
                }
                // Without a client certificate the peer is offered dialback only.
                try (RawXmppSocket raw = new RawXmppSocket(d.s2sPort())) {
                    raw.step(header("c.test", "d.test"), "</stream:features>");
                    raw.step("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed");
                    raw.upgradeToTls();
                    String features = raw.step(header("c.test", "d.test"), "</stream:features>");
                    assertThat(features).contains("urn:xmpp:features:dialback").doesNotContain("EXTERNAL");
                    raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
                    assertThat(raw.readUntil("</failure>", 10_000)).contains("<not-authorized/>");
                }
            }
        }
    }

    /**
     * aviary.s2s.secure-auth on e.test, which trusts f.test's certificate, but that certificate names wrong.test: e.test
     * abandons its stream to f.test (RFC 6120 §13.7.2.1) and refuses f.test's dialback-only authentication, so each
     * side's user gets remote-server-not-found, while a.test and b.test keep chatting.
     */
    @Test
    void withSecureAuthACertificateForAnotherDomainIsRefusedBothWays() throws Exception {
        Path dirE = Files.createTempDirectory("aviary-e");
        Path wrong = Files.createTempDirectory("aviary-wrong");
        ServerCertificate.selfSigned(wrong, "wrong.test");
        int[] ports = FreePorts.pick(2);
        try (AviaryTestServer e = AviaryTestServer.start(dirE, "aviary.domain=e.test", "aviary.s2s.port=" + ports[0],
                     "aviary.s2s.routes[f.test]=127.0.0.1:" + ports[1], "aviary.s2s.secure-auth=true",
                     "aviary.s2s.trusted-certificates=" + wrong.resolve("self-signed-wrong.test.crt"));
             AviaryTestServer f = AviaryTestServer.start("aviary.domain=f.test", "aviary.s2s.port=" + ports[1],
                     "aviary.s2s.routes[e.test]=127.0.0.1:" + ports[0],
                     "aviary.s2s.certificate=" + wrong.resolve("self-signed-wrong.test.crt"),
                     "aviary.s2s.key=" + wrong.resolve("self-signed-wrong.test.key"))) {
            e.accounts().register("erin", "erin-pw");
            f.accounts().register("frank", "frank-pw");
            XMPPTCPConnection erin = login(e, "erin", "erin-pw");
            XMPPTCPConnection frank = login(f, "frank", "frank-pw");
            try {
                assertThat(pingError(erin, "f.test")).isEqualTo(StanzaError.Condition.remote_server_not_found);
                assertThat(pingError(frank, "e.test")).isEqualTo(StanzaError.Condition.remote_server_not_found);
                MeterRegistry meters = e.context().getBean(MeterRegistry.class);
                assertThat(meters.find("xmpp.s2s.failures").tag("reason", "certificate").counters())
                        .as("both directions refused for the certificate").isNotEmpty();
                stillChat("while e.test refuses f.test");
            } finally {
                erin.disconnect();
                frank.disconnect();
            }
        }
    }

    @Test
    void withFederationSwitchedOffTheComponentsConsumerAnswersForRemoteDomains() throws Exception {
        try (AviaryTestServer off = AviaryTestServer.start("aviary.domain=e.test",
                "aviary.capabilities.federation.enabled=false")) {
            assertThat(off.context().getBeansOfType(Federation.class)).isEmpty();
            assertThat(off.context().getBean(RemoteDelivery.class)).isInstanceOf(ComponentsOnlyDelivery.class);
            off.accounts().register("erin", "erin-pw");
            XMPPTCPConnection erin = login(off, "erin", "erin-pw");
            try {
                BlockingQueue<Message> inbox = XmppClients.inbox(erin);
                chat(erin, "bob@b.test", "anyone?");
                Message bounce = XmppClients.next(inbox, WAIT);
                assertThat(bounce).isNotNull();
                assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
            } finally {
                erin.disconnect();
            }
        }
    }

    private static String header(String from, String to) {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback' from='" + from + "' to='" + to + "' version='1.0'>";
    }

    /** Opens an s2s stream and negotiates STARTTLS; the id of the stream after TLS. */
    private static String secured(RawXmppSocket raw, String from, String to) throws IOException {
        assertThat(raw.step(header(from, to), "</stream:features>")).contains("<starttls");
        raw.step("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed");
        raw.upgradeToTls();
        String features = raw.step(header(from, to), "</stream:features>");
        assertThat(features).contains("urn:xmpp:features:dialback");
        Matcher id = Pattern.compile("id='([^']+)'").matcher(features);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }
}
