package io.aviary.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An operator's command-line tool (docker-compose, kubectl), found on PATH and run the way CI
 * runs it. The deployment files are meant for these tools, so the tests ask the tools themselves.
 */
record CommandLineTool(List<String> command) {

    private static final long TIMEOUT_SECONDS = 120;

    /** The output of one run; {@code err} carries the tool's explanation when it refuses. */
    record Result(int exitCode, String out, String err) {

        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return "exit code " + exitCode + "\nstderr:\n" + err + "\nstdout:\n" + out;
        }
    }

    /** The executable {@code name} in a PATH directory, if there is one. */
    static Optional<CommandLineTool> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new CommandLineTool(List.of(candidate.toString())));
            }
        }
        return Optional.empty();
    }

    /** docker-compose 1.x, else the Compose v2 plugin ({@code docker compose}) if the docker CLI has it. */
    static Optional<CommandLineTool> compose() {
        Optional<CommandLineTool> standalone = onPath("docker-compose");
        if (standalone.isPresent()) {
            return standalone;
        }
        return onPath("docker")
                .map(docker -> docker.with("compose"))
                .filter(plugin -> plugin.run("version").succeeded());
    }

    CommandLineTool with(String argument) {
        List<String> longer = new ArrayList<>(command);
        longer.add(argument);
        return new CommandLineTool(List.copyOf(longer));
    }

    Result run(String... arguments) {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(arguments));
        try {
            // Files rather than pipes: no reader threads, and a chatty tool cannot block on a full pipe.
            Path out = Files.createTempFile("aviary-tool", ".out");
            Path err = Files.createTempFile("aviary-tool", ".err");
            try {
                Process process = new ProcessBuilder(full)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(full + " did not finish within " + TIMEOUT_SECONDS + " s");
                }
                return new Result(process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full, e);
        }
    }
}
