package io.aviary.bench.load;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The program that injects a fault, run as {@code <command...> <fault>} in the background while the
 * load goes on (deploy/local/chaos.sh: {@code chaos.sh fault router} kills the router and returns when
 * its replacement is ready). Its output goes to ours.
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

    Running start(String fault) throws IOException {
        List<String> full = new ArrayList<>(command);
        full.add(fault);
        Process process = new ProcessBuilder(full).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Running(process, System.nanoTime());
    }

    /** One injection under way. */
    static final class Running {
        private final Process process;
        private final long startNanos;
        private volatile long endNanos;

        private Running(Process process, long startNanos) {
            this.process = process;
            this.startNanos = startNanos;
            process.onExit().thenRun(() -> endNanos = System.nanoTime());
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
