package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0215.TurnCredentials;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * XEP-0215 end to end: Smack clients ask the domain for its STUN and TURN services and for TURN credentials, and a
 * real coturn (Debian's {@code coturn}, started by the test with {@code use-auth-secret}) accepts the credentials the
 * server handed out and refuses a stale one and a wrong password. The coturn part is skipped, saying why, where
 * coturn is not installed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExternalServicesEndToEndTest {

    private static final String NS = "urn:xmpp:extdisco:2";
    private static final String SECRET = "e2e-turn-secret-7f3a9c";
    private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
    private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");

    private static AviaryTestServer server;
    private static int turnPort;
    private static Path turnDir;
    private static Process coturn;

    @BeforeAll
    static void start() throws Exception {
        turnPort = freeUdpAndTcpPort();
        server = AviaryTestServer.start(
                "aviary.extdisco.services[0].host=127.0.0.1",
                "aviary.extdisco.services[0].port=" + turnPort,
                "aviary.extdisco.services[0].type=stun",
                "aviary.extdisco.services[1].host=127.0.0.1",
                "aviary.extdisco.services[1].port=" + turnPort,
                "aviary.extdisco.services[1].type=turn",
                "aviary.extdisco.services[1].transport=udp",
                "aviary.extdisco.services[1].name=Test relay",
                "aviary.extdisco.services[1].secret=" + SECRET,
                "aviary.extdisco.credential-ttl=2h");
        for (String user : List.of("romeo", "juliet")) {
            server.accounts().register(user, user + "-pw");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (coturn != null) {
            coturn.destroy();
            if (!coturn.waitFor(10, TimeUnit.SECONDS)) {
                coturn.destroyForcibly();
            }
        }
        server.close();
    }

    @Test
    void theDomainAdvertisesExtdiscoAndListsItsServicesWithCredentialsForTheTurnRelay() throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(romeo).serverSupportsFeature(NS)).isTrue();

            XmlElement services = request(romeo, "services", null, "");
            List<XmlElement> listed = services.elements().toList();
            assertThat(listed).extracting(s -> s.attributeOrNull("type")).containsExactly("stun", "turn");
            XmlElement stun = listed.get(0);
            assertThat(stun.attributeOrNull("port")).isEqualTo(Integer.toString(turnPort));
            assertThat(stun.attributeOrNull("transport")).isEqualTo("udp");
            assertThat(stun.attributeOrNull("username")).isNull();
            XmlElement turn = listed.get(1);
            assertThat(turn.attributeOrNull("name")).isEqualTo("Test relay");
            assertThat(turn.attributeOrNull("restricted")).isEqualTo("true");
            assertThat(turn.attributeOrNull("username")).endsWith(":romeo@localhost");
            long expiry = Long.parseLong(turn.attributeOrNull("username").split(":")[0]);
            assertThat(Instant.parse(turn.attributeOrNull("expires")).getEpochSecond()).isEqualTo(expiry);
            assertThat(Instant.ofEpochSecond(expiry)).isBetween(Instant.now().plus(Duration.ofMinutes(110)),
                    Instant.now().plus(Duration.ofMinutes(121)));

            XmlElement onlyTurn = request(romeo, "services", "turn", "");
            assertThat(onlyTurn.attributeOrNull("type")).isEqualTo("turn");
            assertThat(onlyTurn.elements()).extracting(s -> s.attributeOrNull("type")).containsExactly("turn");
        } finally {
            romeo.disconnect();
        }
    }

    @Test
    void coturnAcceptsTheHandedOutCredentialsAndRefusesAStaleOneAndAWrongPassword() throws Exception {
        assumeTrue(Files.isExecutable(TURNSERVER) && Files.isExecutable(UCLIENT),
                "coturn is not installed (apt-get install coturn)");
        startCoturn();
        XMPPTCPConnection juliet = login("juliet");
        try {
            XmlElement credentials = request(juliet, "credentials", null, "<service host='127.0.0.1' type='turn'/>");
            XmlElement service = credentials.elements().findFirst().orElseThrow();
            String username = service.attributeOrNull("username");
            String password = service.attributeOrNull("password");
            assertThat(username).endsWith(":juliet@localhost");

            assertThat(allocate(username, password)).as("allocation with the XEP-0215 credentials").isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> coturnLog().contains(
                    "user <" + username + ">: incoming packet ALLOCATE processed, success"));

            assertThat(allocate(username, password + "x")).as("allocation with a wrong password").isNotZero();
            assertThat(coturnLog()).contains("user <" + username + ">: incoming packet message processed, error 401");

            // Issued the same way two days ago with a one-day lifetime: expired yesterday.
            TurnCredentials.Credential stale = new TurnCredentials(
                    Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC), Duration.ofDays(1))
                    .issue(SECRET, JidCreate.entityBareFrom("juliet@localhost"));
            assertThat(allocate(stale.username(), stale.password())).as("allocation with a stale credential").isNotZero();
            assertThat(coturnLog()).contains("user <" + stale.username() + ">: incoming packet message processed, error 401");
        } finally {
            juliet.disconnect();
        }
    }

    @Test
    void badRequestsGetTheirErrorsAndBystandersKeepChatting() throws Exception {
        try (BystanderPair bystanders = new BystanderPair(server)) {
            XMPPTCPConnection romeo = login("romeo");
            try {
                Jid domain = JidCreate.domainBareFrom(AviaryTestServer.DOMAIN);
                assertThat(RawIq.errorOf(romeo, RawIq.get(domain, "credentials", NS,
                        "<service host='turn.elsewhere.example' type='turn'/>")))
                        .isEqualTo(StanzaError.Condition.item_not_found);
                assertThat(RawIq.errorOf(romeo, RawIq.get(domain, "credentials", NS, "<service host='127.0.0.1' type='stun'/>")))
                        .as("STUN needs no credentials").isEqualTo(StanzaError.Condition.item_not_found);
                assertThat(RawIq.errorOf(romeo, RawIq.get(domain, "credentials", NS, "<service type='turn'/>")))
                        .isEqualTo(StanzaError.Condition.bad_request);
                assertThat(RawIq.errorOf(romeo, RawIq.set(domain, "services", NS, "")))
                        .isEqualTo(StanzaError.Condition.bad_request);
                assertThat(RawIq.errorOf(romeo, RawIq.get(JidCreate.entityBareFrom("juliet@localhost"), "services", NS, "")))
                        .as("an account is no discovery service").isEqualTo(StanzaError.Condition.service_unavailable);
                bystanders.stillChat();
            } finally {
                romeo.disconnect();
            }
        }
    }

    @Test
    void theSecretIsInNoStanzaLogLineOrActuatorOutput(CapturedOutput output) throws Exception {
        XMPPTCPConnection romeo = login("romeo");
        try {
            String answers = request(romeo, "services", null, "").toXml()
                    + request(romeo, "credentials", null, "<service host='127.0.0.1' type='turn'/>").toXml();
            assertThat(answers).contains("password=").doesNotContain(SECRET);
        } finally {
            romeo.disconnect();
        }
        String port = server.context().getEnvironment().getProperty("local.server.port");
        for (String endpoint : List.of("info", "configprops", "env", "health")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/" + endpoint)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).as(endpoint).doesNotContain(SECRET);
        }
        assertThat(output.getAll()).doesNotContain(SECRET);
    }

    /** Sends {@code <name xmlns=extdisco type=type>inner</name>} to the domain and returns the result's payload. */
    private static XmlElement request(XMPPTCPConnection connection, String name, String type, String inner)
            throws Exception {
        IQ reply = connection.sendIqRequestAndWaitForResponse(new ExtdiscoRequest(name, type, inner));
        assertThat(reply).isInstanceOf(UnparsedIQ.class);
        XmlElement payload = XmlDocumentParser.parse(((UnparsedIQ) reply).getContent().toString()
                .getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULTS);
        assertThat(payload.name()).isEqualTo(name);
        assertThat(payload.namespace()).isEqualTo(NS);
        return payload;
    }

    /** A XEP-0215 request, which Smack has no API for. */
    private static final class ExtdiscoRequest extends IQ {

        private final String type;
        private final String inner;

        ExtdiscoRequest(String name, String type, String inner) throws Exception {
            super(name, NS);
            this.type = type;
            this.inner = inner;
            setType(Type.get);
            setTo(JidCreate.domainBareFrom(AviaryTestServer.DOMAIN));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.optAttribute("type", type);
            xml.rightAngleBracket();
            xml.append(inner);
            return xml;
        }
    }

    private static void startCoturn() throws Exception {
        turnDir = Files.createTempDirectory("aviary-coturn");
        int relayBase = 20000 + ThreadLocalRandom.current().nextInt(20000);
        // stdbuf: coturn logs to stdout through stdio, which buffers whole blocks when that is a file.
        coturn = new ProcessBuilder("/usr/bin/stdbuf", "-oL", TURNSERVER.toString(), "-v", "--use-auth-secret", "--static-auth-secret=" + SECRET,
                "--realm=localhost", "--no-tls", "--no-dtls", "--no-cli", "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1", "--listening-port=" + turnPort, "--min-port=" + relayBase,
                "--max-port=" + (relayBase + 50), "--allow-loopback-peers", "--simple-log", "--log-file=stdout",
                "--userdb=" + turnDir.resolve("turn.db"), "--pidfile=" + turnDir.resolve("turn.pid"))
                .redirectErrorStream(true).redirectOutput(turnDir.resolve("coturn.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> coturnLog().contains("UDP listener opened on: 127.0.0.1:" + turnPort)
                || !coturn.isAlive());
        assertThat(coturn.isAlive()).as("coturn started; see %s", turnDir.resolve("coturn.log")).isTrue();
    }

    /** A TURN allocation over UDP with {@code turnutils_uclient} (two clients relaying to each other); its exit code. */
    private static int allocate(String username, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of(UCLIENT.toString(), "-y", "-c", "-n", "1", "-p",
                Integer.toString(turnPort), "-u", username, "-w", password, "127.0.0.1"));
        Process client = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(turnDir.resolve("uclient.log").toFile()).start();
        if (!client.waitFor(30, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("turnutils_uclient did not finish; see " + turnDir.resolve("uclient.log"));
        }
        return client.exitValue();
    }

    private static String coturnLog() throws IOException {
        return Files.readString(turnDir.resolve("coturn.log"));
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-pw", null)
                .setResource("calls").build());
    }

    /** A port free for both TCP and UDP on loopback: coturn listens on both. */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }
}
