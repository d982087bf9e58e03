package io.aviary.bench.load;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The program that injects a fault, run as {@code <command...> <fault>} in the background while the
 * load goes on (deploy/local/chaos.sh: {@code chaos.sh fault router} kills the router and returns when
 * its replacement is ready). Its output goes to ours; the line {@code injecting <fault>} tells the moment the
 * fault took effect (a kill comes some milliseconds after the command starts, more on a busy machine).
 */
final class FaultCommand {

    private final List<String> command;

    /** @param commandLine the program and its first arguments, separated by spaces */
    FaultCommand(String commandLine) {
        this.command = Arrays.stream(commandLine.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (command.isEmpty()) {
            throw new IllegalArgumentException("the fault command is empty");
        }
    }

    Running start(String fault, PrintStream out) throws IOException {
        List<String> full = new ArrayList<>(command);
        full.add(fault);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Running running = new Running(process, System.nanoTime());
        Thread reader = new Thread(() -> running.echo(fault, out), "fault-" + fault);
        reader.setDaemon(true);
        reader.start();
        return running;
    }

    /** One injection under way. */
    static final class Running {
        private final Process process;
        private final long startNanos;
        private volatile long endNanos;
        private volatile long injectedNanos;

        private Running(Process process, long startNanos) {
            this.process = process;
            this.startNanos = startNanos;
            process.onExit().thenRun(() -> endNanos = System.nanoTime());
        }

        private void echo(String fault, PrintStream out) {
            try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (injectedNanos == 0 && line.endsWith("injecting " + fault)) {
                        injectedNanos = System.nanoTime();
                    }
                    out.println(line);
                }
            } catch (IOException e) {
                // The command's output ended with it.
            }
        }

        /** When the fault took effect: the command's "injecting" line, else its start. */
        long injectedNanos() {
            long injected = injectedNanos;
            return injected == 0 ? startNanos : injected;
        }

        boolean done() {
            return !process.isAlive();
        }

        /**
         * Ends the command if it is still running (its own process only: a service it restarted keeps
         * running) and says how it went.
         */
        Outcome finish() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                return new Outcome(null, (System.nanoTime() - startNanos) / 1e9);
            }
            process.waitFor();
            long end = endNanos == 0 ? System.nanoTime() : endNanos;
            return new Outcome(process.exitValue(), (end - startNanos) / 1e9);
        }
    }

    /**
     * @param exitCode null when the command was still running at the phase's time limit and was ended
     * @param seconds  how long it ran: for a restart, until the replacement was ready
     */
    record Outcome(Integer exitCode, double seconds) {
    }
}
