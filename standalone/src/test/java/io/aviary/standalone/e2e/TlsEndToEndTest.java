package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.gateway.tls.ServerTls;
import io.aviary.gateway.tls.TlsProvider;
import io.aviary.testclients.AlpnProbe;
import io.aviary.testclients.ScramSha256Mechanism;
import io.aviary.testclients.XmppClients;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS as an operator configures it: each engine with an RSA and an EC certificate of the operator's
 * (aviary.gateway.tls-certificate / tls-key), STARTTLS and direct TLS (XEP-0368), SCRAM-SHA-256-PLUS
 * bound to that certificate, and handshakes that go wrong without touching anyone else.
 */
@ParameterizedClass
@MethodSource("setups")
class TlsEndToEndTest {

    /** One server: an engine and the algorithm of the operator's key. */
    record Setup(TlsProvider provider, String keyAlgorithm) {
    }

    static Stream<Setup> setups() {
        return Stream.of(TlsProvider.OPENSSL, TlsProvider.JDK)
                .flatMap(provider -> Stream.of(new Setup(provider, "EC"), new Setup(provider, "RSA")));
    }

    @Parameter
    Setup setup;

    private static AviaryTestServer server;
    private static ServerCertificate configured;
    private static Path tlsDir;
    private static XMPPTCPConnection bob;
    private static XMPPTCPConnection carol;

    @BeforeParameterizedClassInvocation
    static void start(Setup setup) throws Exception {
        Path dir = Files.createTempDirectory("aviary-operator-tls");
        tlsDir = dir;
        configured = certificate(setup.keyAlgorithm(), dir.resolve("chain.pem"));
        configured.write(dir.resolve("chain.pem"), dir.resolve("key.pem"));
        server = AviaryTestServer.start("aviary.gateway.tls-provider=" + setup.provider(),
                "aviary.gateway.tls-certificate=" + dir.resolve("chain.pem"),
                "aviary.gateway.tls-key=" + dir.resolve("key.pem"),
                "aviary.gateway.sasl-channel-binding=true",
                "aviary.gateway.tls-reload-interval=200ms");
        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(server.accounts().register(user, user + "-pw").ok()).isTrue();
        }
        bob = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "bob", "bob-pw", ScramSha256Mechanism.NAME)
                .setResource("b").build());
        carol = XmppClients.connect(XmppClients.directTls(server.directTlsPort(), "carol", "carol-pw", ScramSha256Mechanism.NAME)
                .setResource("c").build());
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        bob.disconnect();
        carol.disconnect();
        server.close();
    }

    private static ServerCertificate certificate(String keyAlgorithm, Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
        if ("EC".equals(keyAlgorithm)) {
            generator.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            generator.initialize(2048);
        }
        return ServerCertificate.generate(AviaryTestServer.DOMAIN, generator.generateKeyPair(), file);
    }

    @AfterEach
    void bystandersAreUnaffected() throws Exception {
        XmppClients.assertStillChats(bob);
        XmppClients.assertStillChats(carol);
    }

    @Test
    void theRequestedEnginePresentsTheOperatorsCertificateOnBothPorts() throws Exception {
        assertThat(server.context().getBean(ServerTls.class).provider()).isEqualTo(ServerTls.engine(setup.provider()));
        assertThat(presentedOnDirectTls()).isEqualTo(configured.certificate());
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
            raw.upgradeToTls();
            assertThat(raw.tlsSession().getPeerCertificates()[0]).isEqualTo(configured.certificate());
            assertThat(raw.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void theDirectTlsPortChoosesXmppClientByAlpnAndStillServesAClientWithoutIt() throws Exception {
        for (String[] offered : List.of(new String[] {"xmpp-client"}, new String[] {"h2", "http/1.1"}, new String[0])) {
            AlpnProbe probe = AlpnProbe.connect(server.directTlsPort(), RawXmppSocket.HEADER, offered);
            assertThat(probe.protocol()).as(String.join(",", offered)).isEqualTo(offered.length == 1 ? ServerTls.ALPN : "");
            assertThat(probe.answer()).contains("<stream:stream");
        }
    }

    @Test
    void loginsOverStartTlsAndDirectTls() throws Exception {
        XMPPTCPConnection overStartTls = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", ScramSha256Mechanism.NAME).setResource("s").build());
        XMPPTCPConnection overDirectTls = XmppClients.connect(
                XmppClients.directTls(server.directTlsPort(), "alice", "alice-pw", ScramSha256Mechanism.NAME).setResource("d").build());
        try {
            assertThat(overStartTls.isSecureConnection()).isTrue();
            assertThat(overStartTls.getUser().toString()).isEqualTo("alice@localhost/s");
            assertThat(overDirectTls.getUser().toString()).isEqualTo("alice@localhost/d");
            XmppClients.assertStillChats(overStartTls);
            XmppClients.assertStillChats(overDirectTls);
        } finally {
            overStartTls.disconnect();
            overDirectTls.disconnect();
        }
    }

    @Test
    void scramSha256PlusBindsToTheCertificate() throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", ScramSha256Mechanism.NAME_PLUS).build());
        try {
            assertThat(alice.isAuthenticated()).isTrue();
            assertThat(alice.getUsedSaslMechansism()).isEqualTo(ScramSha256Mechanism.NAME_PLUS);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void certificateFilesReplacedWhileRunningChangeNothing() throws Exception {
        ServerCertificate other = certificate(setup.keyAlgorithm(), configured.certificateFile());
        other.write(configured.certificateFile(), configured.certificateFile().resolveSibling("key.pem"));

        assertThat(presentedOnDirectTls()).isEqualTo(configured.certificate());
        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.directTls(server.directTlsPort(), "alice", "alice-pw", ScramSha256Mechanism.NAME).build());
        alice.disconnect();
    }

    @Test
    void garbageAndAbandonedHandshakesLeaveOtherConnectionsAlone() throws Exception {
        byte[] garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] clientHello = clientHello();
        // Direct TLS: not TLS at all; a ClientHello cut in half; a whole one, then gone once the server answers.
        try (RawXmppSocket raw = new RawXmppSocket(server.directTlsPort())) {
            raw.sendBytes(garbage);
            assertThat(raw.awaitClose(5000)).isTrue();
        }
        for (int i = 0; i < 20; i++) {
            try (RawXmppSocket raw = new RawXmppSocket(server.directTlsPort())) {
                raw.sendBytes(Arrays.copyOf(clientHello, clientHello.length / 2));
            }
            try (RawXmppSocket raw = new RawXmppSocket(server.directTlsPort())) {
                assertThat(raw.sendBytes(clientHello).readUntil("\u0016\u0003\u0003", 5000)).as("ServerHello").isNotEmpty();
            }
        }
        // STARTTLS: the same after <proceed/>.
        try (RawXmppSocket raw = startTlsProceeded()) {
            raw.sendBytes(garbage);
            assertThat(raw.awaitClose(5000)).isTrue();
        }
        try (RawXmppSocket raw = startTlsProceeded()) {
            assertThat(raw.sendBytes(clientHello).readUntil("\u0016\u0003\u0003", 5000)).as("ServerHello").isNotEmpty();
        }

        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.directTls(server.directTlsPort(), "alice", "alice-pw", ScramSha256Mechanism.NAME).build());
        alice.disconnect();
    }

    private static RawXmppSocket startTlsProceeded() throws Exception {
        RawXmppSocket raw = new RawXmppSocket(server.c2sPort());
        raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
        raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
        return raw;
    }

    /** A real ClientHello record, as the JDK's client would send it first. */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = XmppClients.trustAllContext().createSSLEngine(AviaryTestServer.DOMAIN, server.directTlsPort());
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        return record;
    }

    @Test
    void aRenewedCertificateIsPresentedToNewConnectionsWithoutARestart() throws Exception {
        Path chain = tlsDir.resolve("chain.pem");
        Path key = tlsDir.resolve("key.pem");
        MeterRegistry meters = server.context().getBean(MeterRegistry.class);
        ServerCertificate renewed = certificate(setup.keyAlgorithm(), chain);
        try {
            renewed.write(chain, key);
            within10s(() -> presentedOnDirectTls().equals(renewed.certificate()));
            assertThat(meters.get("xmpp.tls.certificate.expiry").gauge().value())
                    .isEqualTo(renewed.certificate().getNotAfter().getTime() / 1000.0);
            // Channel binding follows the certificate this connection's handshake presented.
            XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "alice", "alice-pw",
                    ScramSha256Mechanism.NAME_PLUS).setResource("renewed").build());
            assertThat(alice.getUsedSaslMechansism()).isEqualTo(ScramSha256Mechanism.NAME_PLUS);
            alice.disconnect();

            // A certificate written without its key does not load: the renewed one stays, the failure is counted.
            double failures = meters.get("xmpp.tls.reload.failures").counter().count();
            certificate(setup.keyAlgorithm(), chain).write(chain, tlsDir.resolve("other-key.pem"));
            within10s(() -> meters.get("xmpp.tls.reload.failures").counter().count() > failures);
            assertThat(presentedOnDirectTls()).isEqualTo(renewed.certificate());
        } finally {
            configured.write(chain, key);
            within10s(() -> presentedOnDirectTls().equals(configured.certificate()));
        }
    }

    private static void within10s(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("within 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Certificate presentedOnDirectTls() throws Exception {
        try (SSLSocket socket = (SSLSocket) XmppClients.trustAllContext().getSocketFactory()
                .createSocket("127.0.0.1", server.directTlsPort())) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        }
    }
}
