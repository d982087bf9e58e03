package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.standalone.AviaryApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run the build writes README's class-data archive with (issue 19): a server started with
 * {@code aviary.gateway.warm-up.exit-when-done} logs in to itself and then ends its process by itself, with status 0
 * when every login succeeded and 1 when some failed, so that the build stops rather than keep an archive of a broken
 * start. Each server is a process of its own, since it ends it; the JVM's archive itself is not written here (the
 * test class path holds directories, which the JVM does not archive from), the build's run writes it.
 */
class TrainingRunEndToEndTest {

    @Test
    void aTrainingRunLogsInToItselfThenEndsItsProcessWithTheWarmUpsStatus(@TempDir Path dir) throws Exception {
        // Both at once: each spends most of its time starting.
        Process good = start(dir.resolve("good"));
        // One connection per address: most of the warm-up's sixteen logins at a time are turned away.
        Process refused = start(dir.resolve("refused"), "aviary.gateway.max-connections-per-address=1");
        try {
            assertExit(good, dir.resolve("good"), 0);
            assertThat(log(dir.resolve("good"))).contains("login warm-up: 100 logins in");
            assertExit(refused, dir.resolve("refused"), 1);
            assertThat(log(dir.resolve("refused"))).contains("failed");
        } finally {
            good.destroyForcibly();
            refused.destroyForcibly();
        }
    }

    private static Process start(Path dir, String... extra) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), AviaryApplication.class.getName()));
        // The test servers' free ports, as in the build's run, and a warm-up short enough for a test.
        List<String> properties = new ArrayList<>(List.of("aviary.gateway.warm-up.logins=100",
                "aviary.gateway.warm-up.exit-when-done=true"));
        properties.addAll(List.of(extra));
        command.addAll(AviaryTestServer.arguments(dir.resolve("data"), properties.toArray(String[]::new)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile())
                .start();
    }

    private static void assertExit(Process server, Path dir, int status) throws Exception {
        assertThat(server.waitFor(120, TimeUnit.SECONDS)).as("the run ends by itself; its log:%n%s", tail(dir)).isTrue();
        assertThat(server.exitValue()).as("exit status; the log:%n%s", tail(dir)).isEqualTo(status);
    }

    private static String log(Path dir) throws IOException {
        return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    }

    private static String tail(Path dir) throws IOException {
        List<String> lines = log(dir).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
