package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.s2s.dialback.DialbackKeys;
import io.aviary.service.Outbox;
import io.aviary.tls.ServerCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Two s2s instances on one host (as a cluster's tests run them): the second cannot hold the s2s port, and still runs. */
class FederationListenersTest {

    @TempDir
    Path dataDir;

    @Test
    void aPortAlreadyHeldLeavesTheInstanceRunningWithoutThatListener() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        S2sProperties properties = new S2sProperties(true, port, -1, "127.0.0.1", Map.of(), true, null, null, null,
                null, List.of(), List.of(), Duration.ofMinutes(10), Duration.ofSeconds(30), 1000,
                DataSize.ofKilobytes(256));
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

    private static Federation federation(S2sProperties properties, InProcessBus bus, S2sTls tls) {
        return new Federation(properties, "a.test", domain -> false, bus, new Outbox(bus), null,
                new DialbackKeys(null), new RemoteAddresses(Map.of(), name -> List.of()), tls,
                new S2sMetrics(new SimpleMeterRegistry()));
    }
}
