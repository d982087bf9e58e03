package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import io.aviary.client.ScramClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code logins}: a sustained login storm. Each login connects, (optionally) negotiates TLS,
 * authenticates, binds, sends initial presence and closes; the figure is connect-to-bound.
 * Accounts are taken round-robin from {@code 1..users}, so with fewer accounts than logins the
 * generator's SCRAM cache is warm after the first round (see {@link ScramClient}).
 */
final class LoginScenario {

    private static final Duration START_WAIT = Duration.ofMinutes(10);

    private LoginScenario() {
    }

    /**
     * @param warmup    logins at the same rate before the measured ones, so both JVMs have compiled the login path
     * @param serverPid the server's process id, for its CPU time per login and resident memory; null to skip them
     * @param startFile null, or a file to wait for after the warm-up: the warm-up then warms the generator against
     *                  one server and the measured logins go to another started meanwhile (a fresh server's logins
     *                  are then not the generator's own JIT compilation); a process id in it is the server's
     */
    static Report run(ClientEngine engine, double rate, Duration duration, Duration warmup, int users, String serverPid,
                      String startFile, PrintStream out) throws InterruptedException, IOException {
        int warmupCount = (int) Math.round(rate * warmup.toMillis() / 1000.0);
        if (warmupCount > 0) {
            out.printf("warm-up: %d logins at %.0f/s (not measured)%n", warmupCount, rate);
            new LoginDriver(engine, false, new XmppConnection.Listener() { })
                    .run(warmupCount, rate, i -> i % users + 1);
        }
        if (startFile != null) {
            String pid = awaitStart(Path.of(startFile), out);
            serverPid = pid.isEmpty() ? serverPid : pid;
        }
        int count = (int) Math.round(rate * duration.toMillis() / 1000.0);
        out.printf("%d logins at %.0f/s over accounts 1..%d%n", count, rate, users);
        LoginDriver driver = new LoginDriver(engine, false, new XmppConnection.Listener() { });
        ServerUsage before = ServerUsage.of(serverPid);
        LoginDriver.LoginOutcome outcome = driver.run(count, rate, i -> i % users + 1);
        ServerUsage after = ServerUsage.of(serverPid);
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("target logins/s", Report.fixed(rate));
        figures.put("attempted", Integer.toString(outcome.attempted()));
        figures.put("succeeded", Long.toString(outcome.succeeded()));
        figures.put("failed", Long.toString(outcome.failed()));
        figures.put("achieved logins/s", Report.fixed(outcome.perSecond()));
        Percentiles p = outcome.latency();
        figures.put("connect->bound p50 ms", Report.fixed2(p.p50Ms()));
        figures.put("connect->bound p95 ms", Report.fixed2(p.p95Ms()));
        figures.put("connect->bound p99 ms", Report.fixed2(p.p99Ms()));
        figures.put("connect->bound max ms", Report.fixed2(p.maxMs()));
        double cpuMillisPerLogin = after == null ? Double.NaN : after.microsPer(before, outcome.succeeded()) / 1000;
        if (after != null) {
            figures.put("server CPU ms per login", Report.fixed2(cpuMillisPerLogin));
            figures.put("server resident MB", Report.fixed(after.residentMegabytes()));
        }
        Report.keyValues(out, figures);
        out.println("connect->bound p95 ms by second of the storm: " + outcome.bySecond().stream()
                .map(second -> Long.toString(Math.round(second.p95Ms()))).collect(Collectors.joining(" ")));
        if (!outcome.failureReasons().isEmpty()) {
            out.println("failures: " + outcome.failureReasons());
        }
        return new Report("logins").put("rate", rate).put("durationSeconds", duration.toMillis() / 1000.0)
                .put("warmupSeconds", warmup.toMillis() / 1000.0).put("users", users).put("outcome", outcome).put("achievedPerSecond", outcome.perSecond())
                .put("server", after == null ? Map.of() : Map.of(
                        "cpuMillisPerLogin", cpuMillisPerLogin,
                        "residentMegabytes", after.residentMegabytes()));
    }

    /** Waits (at most {@link #START_WAIT}) for the file that says the measured server is up; returns its content. */
    private static String awaitStart(Path startFile, PrintStream out) throws InterruptedException, IOException {
        out.println("warm-up done; waiting for " + startFile);
        out.flush();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!Files.exists(startFile)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + startFile + " within " + START_WAIT);
            }
            Thread.sleep(50);
        }
        return Files.readString(startFile).strip();
    }
}
