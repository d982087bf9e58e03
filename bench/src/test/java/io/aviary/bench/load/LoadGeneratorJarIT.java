package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The load generator runs from its own shaded jar ({@code target/aviary-bench.jar}), which holds only the artifacts
 * its pom lists: a module the generator starts to use but the list misses builds and passes every unit test, and the
 * jar then fails at its first run with a {@code NoClassDefFoundError}. Runs after {@code package} (the
 * {@code load-generator-jar} execution of the pom) and asks the JDK's {@code jdeps} for classes the generator's
 * packages use that neither the jar nor the JDK has.
 */
class LoadGeneratorJarIT {

    private static final Path JAR = Path.of("target", "aviary-bench.jar");
    /**
     * The generator's own packages and its client's. Not all of xmpp-core: the jar carries the module whole, and its
     * server-side classes (the JID and PRECIS code) use libraries the generator leaves out.
     */
    private static final String GENERATOR_PACKAGES = "io\\.aviary\\.(bench\\.load|client)\\..*";

    @Test
    void everyClassTheLoadGeneratorUsesIsInItsJar() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(LoadGenerator.class.getName());
            assertThat(jar.getEntry("io/aviary/bench/load/LoadGenerator.class")).isNotNull();
        }

        StringWriter out = new StringWriter();
        int exit = ToolProvider.findFirst("jdeps").orElseThrow()
                .run(new PrintWriter(out), new PrintWriter(out), "--missing-deps", "--multi-release",
                        String.valueOf(Runtime.version().feature()), "-include", GENERATOR_PACKAGES,
                        JAR.toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).as("classes the load generator uses that its jar lacks").doesNotContain("not found");
    }
}
