package io.aviary.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.standalone.e2e.AviaryTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The standalone app given a cluster's bus or registry stops before it starts anything, saying which setting and
 * why, instead of running as a node that delivers only to its own connections.
 */
class ClusterSettingsRefusedTest {

    @ParameterizedTest
    @ValueSource(strings = {"aviary.bus.type=kafka", "aviary.registry.type=redis", "spring.profiles.active=cluster"})
    void aClustersBusOrRegistryStopsTheStartBeforeAnythingRuns(String setting, @TempDir Path dataDir)
            throws IOException {
        assertThatThrownBy(() -> AviaryTestServer.start(dataDir, setting))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(setting.startsWith("spring.") ? "aviary.bus.type=kafka" : setting)
                .hasMessageContaining("Run the cluster");
        // No bean was made: neither the embedded database nor the TLS certificate was created.
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("aviary.") || name.equals("tls"));
        }
    }
}
