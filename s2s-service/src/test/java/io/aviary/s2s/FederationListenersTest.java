package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.service.Outbox;
import io.aviary.testclients.AlpnProbe;
import io.aviary.tls.ServerCertificate;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The s2s listeners and connections of a {@link Federation}: a port already held, streams that say nothing, ALPN on
 * direct TLS.
 */
class FederationListenersTest {

    @TempDir
    Path dataDir;

    @Test
    void aPortAlreadyHeldLeavesTheInstanceRunningWithoutThatListener() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        S2sProperties properties = properties(port, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 64);
        S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
        try (InProcessBus bus = new InProcessBus(2);
             Federation first = federation(properties, bus, tls);
             Federation second = federation(properties, bus, tls)) {
            first.start();
            second.start();
            assertThat(first.port()).isEqualTo(port);
            assertThat(second.port()).isEqualTo(-1);
        }
    }

    @Test
    void aStreamWithoutTrafficIsClosedAfterTheIdleTimeout() throws Exception {
        S2sProperties properties = properties(0, true, Duration.ofMillis(500), Duration.ofSeconds(30), 64);
        S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
        try (InProcessBus bus = new InProcessBus(2);
             Federation federation = federation(properties, bus, tls);
             Socket socket = new Socket("127.0.0.1", startedPort(federation))) {
            socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' from='b.test' to='a.test' version='1.0'>")
                    .getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(received).contains("<starttls").endsWith("</stream:stream>");
        }
    }

    @Test
    void withoutRequiredTlsDialbackIsOfferedNextToStartTls() throws Exception {
        S2sProperties properties = properties(0, false, Duration.ofMinutes(10), Duration.ofMillis(500), 64);
        S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
        try (InProcessBus bus = new InProcessBus(2);
             Federation federation = federation(properties, bus, tls);
             Socket socket = new Socket("127.0.0.1", startedPort(federation))) {
            socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                    + "xmlns:stream='http://etherx.jabber.org/streams' from='b.test' to='a.test' version='1.0'>")
                    .getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(10_000);
            // Nothing authenticated within connect-timeout: connection-timeout ends the stream.
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(received).contains("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'></starttls>")
                    .contains("urn:xmpp:features:dialback").contains("<connection-timeout")
                    .endsWith("</stream:stream>");
        }
    }

    @Test
    void anAddressBeyondItsConnectionLimitIsRefusedWhileItsFirstStreamsStay() throws Exception {
        S2sProperties properties = properties(0, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 2);
        S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
        try (InProcessBus bus = new InProcessBus(2);
             Federation federation = federation(properties, bus, tls);
             Socket first = new Socket("127.0.0.1", startedPort(federation));
             Socket second = new Socket("127.0.0.1", federation.port());
             Socket third = new Socket("127.0.0.1", federation.port())) {
            // The three are set up on different event loops, so which one comes third is not known: one of them.
            int refused = 0;
            for (Socket socket : List.of(first, second, third)) {
                socket.setSoTimeout(10_000);
                String answer;
                try {
                    socket.getOutputStream().write(HEADER.getBytes(StandardCharsets.UTF_8));
                    byte[] features = new byte[4096];
                    int read = socket.getInputStream().read(features);
                    answer = read < 0 ? null : new String(features, 0, read, StandardCharsets.UTF_8);
                } catch (SocketException reset) {
                    answer = null;
                }
                if (answer == null) {
                    refused++;
                } else {
                    assertThat(answer).contains("<stream:stream");
                }
            }
            assertThat(refused).as("connections closed at once").isEqualTo(1);
        }
    }

    @Test
    void theDirectTlsPortChoosesXmppServerByAlpnAndStillServesAPeerWithoutIt() throws Exception {
        S2sProperties properties = properties(-1, 0, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 64);
        S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
        try (InProcessBus bus = new InProcessBus(2);
             Federation federation = federation(properties, bus, tls, name -> List.of())) {
            federation.start();
            for (String[] offered : List.of(new String[] {"xmpp-server"}, new String[] {"h2"}, new String[0])) {
                AlpnProbe probe = AlpnProbe.connect(federation.directTlsPort(), HEADER, offered);
                assertThat(probe.protocol()).as(String.join(",", offered))
                        .isEqualTo(List.of(offered).contains("xmpp-server") ? "xmpp-server" : "");
                assertThat(probe.answer()).contains("<stream:stream");
            }
        }
    }

    @Test
    void anOutgoingDirectTlsConnectionOffersXmppServerByAlpn() throws Exception {
        ServerCertificate remote = ServerCertificate.selfSigned(dataDir.resolve("b"), "b.test");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("b", remote.key(), new char[0], remote.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        CompletableFuture<List<String>> offered = new CompletableFuture<>();
        try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
            int port = listener.getLocalPort();
            Thread accepting = new Thread(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setHandshakeApplicationProtocolSelector((engine, protocols) -> {
                        offered.complete(List.copyOf(protocols));
                        return protocols.contains("xmpp-server") ? "xmpp-server" : null;
                    });
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                } catch (Exception e) {
                    offered.completeExceptionally(e);
                }
            });
            accepting.start();
            S2sProperties properties = properties(-1, -1, true, Duration.ofMinutes(10), Duration.ofSeconds(30), 64);
            S2sTls tls = new S2sTls(ServerCertificate.selfSigned(dataDir, "a.test"), null);
            RemoteAddresses.Dns dns = name -> name.equals("_xmpps-server._tcp.b.test")
                    ? List.of(new RemoteAddresses.Srv(0, 0, port, "127.0.0.1")) : List.of();
            try (InProcessBus bus = new InProcessBus(2);
                 Federation federation = federation(properties, bus, tls, dns)) {
                federation.start();
                XmlElement message = XmlDocumentParser.parse(("<message xmlns='jabber:client' from='alice@a.test/r' "
                        + "to='bob@b.test' type='chat'><body>hi</body></message>").getBytes(StandardCharsets.UTF_8),
                        ParserLimits.DEFAULTS);
                bus.publish(Topics.S2S, "b.test", new BusMessage(message, Map.of()));
                assertThat(offered.get(10, TimeUnit.SECONDS)).containsExactly("xmpp-server");
            }
            accepting.join(10_000);
        }
    }

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='b.test' to='a.test' version='1.0'>";

    /** Listener settings of these tests; everything else at its default. */
    private static S2sProperties properties(int port, boolean tlsRequired, Duration idleTimeout, Duration connectTimeout,
                                            int maxConnectionsPerAddress) {
        return properties(port, -1, tlsRequired, idleTimeout, connectTimeout, maxConnectionsPerAddress);
    }

    private static S2sProperties properties(int port, int directTlsPort, boolean tlsRequired, Duration idleTimeout,
                                            Duration connectTimeout, int maxConnectionsPerAddress) {
        return new S2sProperties(true, port, directTlsPort, "127.0.0.1", Map.of(), tlsRequired, null, null, null, false, null,
                List.of(), List.of(), idleTimeout, connectTimeout, 1000, Duration.ofSeconds(30), DataSize.ofKilobytes(256),
                DataSize.ofMegabytes(5), maxConnectionsPerAddress);
    }

    private static int startedPort(Federation federation) {
        federation.start();
        return federation.port();
    }

    private static Federation federation(S2sProperties properties, InProcessBus bus, S2sTls tls) {
        return federation(properties, bus, tls, name -> List.of());
    }

    private static Federation federation(S2sProperties properties, InProcessBus bus, S2sTls tls,
                                         RemoteAddresses.Dns dns) {
        return new Federation(properties, "a.test", domain -> false, bus, new Outbox(bus), null,
                new DialbackKeys(null), new RemoteAddresses(Map.of(), dns), tls,
                new S2sMetrics(new SimpleMeterRegistry()));
    }
}
