package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.service.Outbox;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The s2s listeners of a {@link Federation}: a port already held, and streams that say nothing. */
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
            third.setSoTimeout(10_000);
            assertThat(third.getInputStream().read()).as("the third connection is closed at once").isEqualTo(-1);
            for (Socket admitted : List.of(first, second)) {
                admitted.setSoTimeout(10_000);
                admitted.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                        + "xmlns:stream='http://etherx.jabber.org/streams' from='b.test' to='a.test' version='1.0'>")
                        .getBytes(StandardCharsets.UTF_8));
                byte[] features = new byte[4096];
                int read = admitted.getInputStream().read(features);
                assertThat(new String(features, 0, Math.max(read, 0), StandardCharsets.UTF_8)).contains("<stream:stream");
            }
        }
    }

    /** Listener settings of these tests; everything else at its default. */
    private static S2sProperties properties(int port, boolean tlsRequired, Duration idleTimeout, Duration connectTimeout,
                                            int maxConnectionsPerAddress) {
        return new S2sProperties(true, port, -1, "127.0.0.1", Map.of(), tlsRequired, null, null, null, false, null,
                List.of(), List.of(), idleTimeout, connectTimeout, 1000, Duration.ofSeconds(30), DataSize.ofKilobytes(256),
                DataSize.ofMegabytes(5), maxConnectionsPerAddress);
    }

    private static int startedPort(Federation federation) {
        federation.start();
        return federation.port();
    }

    private static Federation federation(S2sProperties properties, InProcessBus bus, S2sTls tls) {
        return new Federation(properties, "a.test", domain -> false, bus, new Outbox(bus), null,
                new DialbackKeys(null), new RemoteAddresses(Map.of(), name -> List.of()), tls,
                new S2sMetrics(new SimpleMeterRegistry()));
    }
}
