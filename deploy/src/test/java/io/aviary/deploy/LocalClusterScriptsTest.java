package io.aviary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * deploy/local: the scripts parse (bash -n) and the two that are run by hand are executable. Running them
 * takes minutes and the whole machine, so CI only checks this much; docs/reliability.md has a real run.
 */
class LocalClusterScriptsTest {

    private static final Path LOCAL = Repository.deployModule().resolve("local");

    @Test
    void everyScriptParses() throws IOException {
        Optional<CommandLineTool> bash = CommandLineTool.onPath("bash");
        assumeTrue(bash.isPresent(), "bash is not on PATH");
        List<Path> scripts;
        try (Stream<Path> files = Files.list(LOCAL)) {
            scripts = files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
        }

        assertThat(scripts).extracting(f -> f.getFileName().toString())
                .contains("cluster.sh", "run-cluster.sh", "chaos.sh");
        for (Path script : scripts) {
            CommandLineTool.Result syntax = bash.get().run("-n", script.toString());
            assertThat(syntax.succeeded()).as("bash -n %s: %s", script.getFileName(), syntax.describe()).isTrue();
        }
    }

    @Test
    void theScriptsPeopleRunAreExecutable() {
        assertThat(LOCAL.resolve("run-cluster.sh")).isExecutable();
        assertThat(LOCAL.resolve("chaos.sh")).isExecutable();
    }
}
