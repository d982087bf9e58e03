package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.FreePorts;
import io.aviary.testclients.XmppClients;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Aviary (aviary.test) federating with a real Prosody (prosody.test, Debian's package), each on its own loopback ports
 * with static routes: users of both chat both ways (on one stream, XEP-0288), subscribe to each other's presence and
 * see it, and Prosody's user joins a room on Aviary's group chat service; Server Dialback authenticates the streams
 * (XEP-0220), and with trusted
 * certificates both ways SASL EXTERNAL does; a Prosody whose certificate names another domain is refused by an Aviary
 * that requires certificates, while Aviary's own users keep chatting. Skipped, saying why, without Prosody.
 */
class ProsodyInteropTest {

    private static final Duration WAIT = Interop.WAIT;

    private static ProsodyServer prosody;
    private static AviaryTestServer aviary;
    private static XMPPTCPConnection alice;
    private static XMPPTCPConnection romeo;
    private static BlockingQueue<Message> aliceInbox;
    private static BlockingQueue<Message> romeoInbox;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ProsodyServer.missing() == null, ProsodyServer.missing());
        int aviaryPort = FreePorts.pick(1)[0];
        prosody = ProsodyServer.start("prosody.test", Map.of("aviary.test", "127.0.0.1:" + aviaryPort), null, null, false);
        prosody.register("romeo", "prosody.test", "romeo-pw");
        aviary = AviaryTestServer.start("aviary.domain=aviary.test", "aviary.s2s.port=" + aviaryPort,
                "aviary.s2s.routes[prosody.test]=127.0.0.1:" + prosody.s2sPort());
        aviary.accounts().register("alice", "alice-pw");
        alice = XmppClients.connect(XmppClients.startTls(aviary.c2sPort(), "alice", "alice-pw", null)
                .setXmppDomain("aviary.test").setResource("desk").build());
        romeo = XmppClients.connect(XmppClients.startTls(prosody.c2sPort(), "romeo", "romeo-pw", null)
                .setXmppDomain("prosody.test").setResource("phone").build());
        aliceInbox = XmppClients.inbox(alice);
        romeoInbox = XmppClients.inbox(romeo);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.disconnect();
        }
        if (romeo != null) {
            romeo.disconnect();
        }
        if (aviary != null) {
            aviary.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }



    @Test
    void usersOfAviaryAndProsodyChatBothWays() throws Exception {
        Interop.chat(alice, "romeo@prosody.test", "hello Prosody");
        assertThat(Interop.received(romeoInbox, "hello Prosody", prosody::log).getFrom().toString()).isEqualTo("alice@aviary.test/desk");
        Interop.chat(romeo, "alice@aviary.test/desk", "hello Aviary");
        assertThat(Interop.received(aliceInbox, "hello Aviary", prosody::log).getFrom().toString()).isEqualTo("romeo@prosody.test/phone");

        MeterRegistry meters = aviary.context().getBean(MeterRegistry.class);
        assertThat(meters.find("xmpp.s2s.authentications").counters()).isNotEmpty()
                .allSatisfy(counter -> assertThat(counter.getId().getTag("method")).as("Server Dialback").isEqualTo("dialback"));
    }

    @Test
    void theyCompleteAPresenceSubscriptionBothWaysAndSeeEachOthersPresence() throws Exception {
        Interop.subscribeBothWays(alice, romeo, prosody::log);
        Roster aliceRoster = Roster.getInstanceFor(alice);
        BareJid romeoJid = JidCreate.bareFrom("romeo@prosody.test");
        romeo.sendStanza(romeo.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .setMode(Presence.Mode.away).setStatus("in Mantua").build());
        Interop.awaitTrue(() -> "in Mantua".equals(aliceRoster.getPresence(romeoJid).getStatus()),
                "alice sees romeo's status", prosody::log);
    }

    @Test
    void prosodysUserJoinsARoomOnAviaryAndTalksWithALocalOccupant() throws Exception {
        EntityBareJid address = JidCreate.entityBareFrom("balcony@conference.aviary.test");
        MultiUserChat byAlice = MultiUserChatManager.getInstanceFor(alice).getMultiUserChat(address);
        byAlice.create(Resourcepart.from("alice")).makeInstant();
        MultiUserChat byRomeo = MultiUserChatManager.getInstanceFor(romeo).getMultiUserChat(address);
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        BlockingQueue<Message> atRomeo = new LinkedBlockingQueue<>();
        byAlice.addMessageListener(atAlice::add);
        byRomeo.addMessageListener(atRomeo::add);
        try {
            byRomeo.join(Resourcepart.from("romeo"));
            assertThat(byRomeo.getOccupants()).contains(JidCreate.entityFullFrom("balcony@conference.aviary.test/alice"));
            byRomeo.sendMessage("But soft, what light");
            assertThat(Interop.received(atAlice, "But soft, what light", prosody::log).getFrom().toString())
                    .isEqualTo("balcony@conference.aviary.test/romeo");
            byAlice.sendMessage("Wherefore art thou");
            Interop.received(atRomeo, "Wherefore art thou", prosody::log);
        } finally {
            byRomeo.leave();
            byAlice.leave();
        }
    }


    /**
     * Both trust each other's certificate and require certificates (Prosody's s2s_secure_auth, Aviary's
     * aviary.s2s.secure-auth): the streams authenticate with SASL EXTERNAL (RFC 6120 §13.7.1.2); a Prosody whose
     * certificate names another domain is refused.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithCertificates {

        @Test
        void streamsAuthenticateWithSaslExternalBothWays() throws Exception {
            Path certificates = Files.createTempDirectory("interop-certs");
            ServerCertificate.selfSigned(certificates, "secure-prosody.test");
            ServerCertificate.selfSigned(certificates, "secure-aviary.test");
            Path prosodyCertificate = certificates.resolve("self-signed-secure-prosody.test.crt");
            Path aviaryCertificate = certificates.resolve("self-signed-secure-aviary.test.crt");
            int aviaryPort = FreePorts.pick(1)[0];
            try (ProsodyServer secure = ProsodyServer.start("secure-prosody.test",
                         Map.of("secure-aviary.test", "127.0.0.1:" + aviaryPort),
                         new Path[] {prosodyCertificate, certificates.resolve("self-signed-secure-prosody.test.key")},
                         aviaryCertificate, true);
                 AviaryTestServer server = AviaryTestServer.start("aviary.domain=secure-aviary.test",
                         "aviary.s2s.port=" + aviaryPort, "aviary.s2s.secure-auth=true",
                         "aviary.s2s.routes[secure-prosody.test]=127.0.0.1:" + secure.s2sPort(),
                         "aviary.s2s.certificate=" + aviaryCertificate,
                         "aviary.s2s.key=" + certificates.resolve("self-signed-secure-aviary.test.key"),
                         "aviary.s2s.trusted-certificates=" + prosodyCertificate)) {
                secure.register("juliet", "secure-prosody.test", "juliet-pw");
                server.accounts().register("nurse", "nurse-pw");
                XMPPTCPConnection nurse = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "nurse", "nurse-pw",
                        null).setXmppDomain("secure-aviary.test").setResource("desk").build());
                XMPPTCPConnection juliet = XmppClients.connect(XmppClients.startTls(secure.c2sPort(), "juliet",
                        "juliet-pw", null).setXmppDomain("secure-prosody.test").setResource("balcony").build());
                try {
                    BlockingQueue<Message> atJuliet = XmppClients.inbox(juliet);
                    BlockingQueue<Message> atNurse = XmppClients.inbox(nurse);
                    Interop.chat(nurse, "juliet@secure-prosody.test", "by certificate");
                    assertThat(nextBody(atJuliet, secure)).isEqualTo("by certificate");
                    Interop.chat(juliet, "nurse@secure-aviary.test/desk", "likewise");
                    assertThat(nextBody(atNurse, secure)).isEqualTo("likewise");

                    MeterRegistry meters = server.context().getBean(MeterRegistry.class);
                    assertThat(meters.get("xmpp.s2s.authentications").tag("direction", "out")
                            .tag("method", "sasl-external").counter().count()).isEqualTo(1.0);
                    assertThat(meters.find("xmpp.s2s.authentications").tag("method", "dialback").counters()).isEmpty();
                    // XEP-0288: Prosody (mod_s2s_bidi) answered on Aviary's stream and opened none of its own.
                    assertThat(meters.find("xmpp.s2s.authentications").tag("direction", "in").counters()).isEmpty();
                } finally {
                    nurse.disconnect();
                    juliet.disconnect();
                }
            }
        }

        @Test
        void aProsodyWhoseCertificateNamesAnotherDomainIsRefused() throws Exception {
            Path certificates = Files.createTempDirectory("interop-wrong");
            ServerCertificate.selfSigned(certificates, "wrong.test");
            Path wrong = certificates.resolve("self-signed-wrong.test.crt");
            int aviaryPort = FreePorts.pick(1)[0];
            try (ProsodyServer impostor = ProsodyServer.start("impostor.test",
                         Map.of("strict.test", "127.0.0.1:" + aviaryPort),
                         new Path[] {wrong, certificates.resolve("self-signed-wrong.test.key")}, null, false);
                 AviaryTestServer strict = AviaryTestServer.start("aviary.domain=strict.test",
                         "aviary.s2s.port=" + aviaryPort, "aviary.s2s.secure-auth=true",
                         "aviary.s2s.routes[impostor.test]=127.0.0.1:" + impostor.s2sPort(),
                         "aviary.s2s.trusted-certificates=" + wrong);
                 BystanderPair bystanders = new BystanderPair(strict)) {
                strict.accounts().register("tybalt", "tybalt-pw");
                XMPPTCPConnection tybalt = XmppClients.connect(XmppClients.startTls(strict.c2sPort(), "tybalt",
                        "tybalt-pw", null).setXmppDomain("strict.test").setResource("street").build());
                try {
                    tybalt.setReplyTimeout(WAIT.toMillis());
                    StanzaError.Condition refused = null;
                    try {
                        tybalt.sendIqRequestAndWaitForResponse(new Ping(JidCreate.domainBareFrom("impostor.test")));
                    } catch (XMPPException.XMPPErrorException e) {
                        refused = e.getStanzaError().getCondition();
                    }
                    assertThat(refused).as("a certificate for wrong.test does not prove impostor.test")
                            .isEqualTo(StanzaError.Condition.remote_server_not_found);
                    bystanders.stillChat();
                } finally {
                    tybalt.disconnect();
                }
            }
        }

        private String nextBody(BlockingQueue<Message> inbox, ProsodyServer server) throws InterruptedException {
            Message message = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(message).as("a message; Prosody's log:\n%s", message == null ? server.log() : "").isNotNull();
            return message.getBody();
        }
    }
}
