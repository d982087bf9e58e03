package io.aviary.gateway.warmup;

import io.aviary.client.ClientEngine;
import io.aviary.client.ClientSettings;
import io.aviary.client.XmppConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Logs in to the gateway's own c2s port as real clients do (STARTTLS, SCRAM-SHA-256, resource binding, initial
 * presence, end of stream), {@link WarmUpProperties#logins()} times with {@link WarmUpProperties#concurrency()} in
 * progress, as the {@link WarmUpAccounts}. The client is the load generator's ({@code xmpp-client}), on one event
 * loop of its own.
 *
 * <p>It stops starting logins after {@link #MAX_FAILURES} failures (a warm-up that keeps failing teaches the compiler
 * nothing, and failed logins from one address count towards its ban) or at the deadline, and reports what it did.
 */
public final class LoginWarmUp {

    static final int MAX_FAILURES = 10;
    /** Accounts the logins take turns with: enough distinct bare JIDs that the resources of one stay few. */
    private static final int ACCOUNTS = 64;
    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);
    /** Login times kept at each end of the warm-up for its medians, so that memory does not grow with the setting. */
    static final int SAMPLES = 1_000;

    /**
     * What the warm-up did.
     *
     * @param succeeded  logins that reached a bound resource
     * @param failures   failed logins by reason
     * @param took       from the first login's start to the last one's end
     * @param firstMedianMillis median connect-to-bound time of the first tenth of the logins (at most
     *                          {@link #SAMPLES} of them)
     * @param lastMedianMillis  the same of the last tenth: how warm the path got
     */
    public record Outcome(int succeeded, Map<String, Integer> failures, Duration took, double firstMedianMillis,
                          double lastMedianMillis) {

        /** The outcome of a warm-up that was turned off. */
        public static Outcome none() {
            return new Outcome(0, Map.of(), Duration.ZERO, 0, 0);
        }

        public int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final WarmUpProperties properties;
    private final WarmUpAccounts accounts;
    private final String domain;
    private volatile Run current;

    public LoginWarmUp(WarmUpProperties properties, WarmUpAccounts accounts, String domain) {
        this.properties = properties;
        this.accounts = accounts;
        this.domain = domain;
    }

    /** Whether there are logins to make at all. */
    public boolean enabled() {
        return properties.logins() > 0;
    }

    /**
     * Runs the logins against {@code target}, if {@link #enabled()}; the future completes when they are done or the
     * deadline passed.
     */
    public CompletableFuture<Outcome> run(InetSocketAddress target) {
        ClientSettings settings = new ClientSettings(List.of(target), domain, true,
                ClientSettings.Mechanism.SCRAM_SHA_256, accounts.password(), accounts.prefix(), LOGIN_TIMEOUT,
                ClientSettings.TlsEngine.AUTO, false);
        ClientEngine engine = new ClientEngine(settings, 1);
        Run run = new Run(engine, properties.logins());
        current = run;
        int first = Math.min(Math.max(1, properties.concurrency()), properties.logins());
        for (int i = 0; i < first; i++) {
            run.next();
        }
        return run.done
                .completeOnTimeout(null, properties.timeout().toMillis(), TimeUnit.MILLISECONDS)
                // Off the client's event loop, which closing the engine waits for.
                .thenApplyAsync(ignored -> run.outcome())
                .whenComplete((outcome, error) -> engine.close());
    }

    /** Ends a warm-up in progress now (the process is stopping): no more logins start, and its client closes. */
    public void stop() {
        Run run = current;
        if (run != null) {
            run.done.complete(null);
        }
    }

    /** One warm-up's logins; every callback runs on the client's one event loop, so its state needs no locks. */
    private static final class Run implements XmppConnection.Listener {
        private final ClientEngine engine;
        private final int logins;
        /** Login times of the first tenth, then a ring of the latest ones, each at most {@link #SAMPLES} long. */
        private final long[] firstMicros;
        private final long[] latestMicros;
        private final long startNanos = System.nanoTime();
        private final Map<String, Integer> failures = new TreeMap<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile long endNanos;
        private int started;
        private int finished;
        private int succeeded;
        private int failed;

        Run(ClientEngine engine, int logins) {
            this.engine = engine;
            this.logins = logins;
            int tenth = Math.min(SAMPLES, Math.max(1, logins / 10));
            this.firstMicros = new long[tenth];
            this.latestMicros = new long[tenth];
        }

        synchronized void next() {
            if (started >= logins || failed >= MAX_FAILURES || done.isDone()) {
                return;
            }
            int n = started++;
            XmppConnection connection = new XmppConnection(engine, n % ACCOUNTS + 1, "warm-up-" + n, false, this);
            engine.connect(connection).addListener(f -> connection.failUnlessOnlineWithin(LOGIN_TIMEOUT.toNanos()));
        }

        @Override
        public void online(XmppConnection connection) {
            long micros = TimeUnit.NANOSECONDS.toMicros(connection.loginNanos());
            synchronized (this) {
                if (succeeded < firstMicros.length) {
                    firstMicros[succeeded] = micros;
                }
                latestMicros[succeeded % latestMicros.length] = micros;
                succeeded++;
            }
            connection.close();
            ended();
        }

        @Override
        public void failed(XmppConnection connection, String reason) {
            synchronized (this) {
                failed++;
                failures.merge(reason, 1, Integer::sum);
            }
            ended();
        }

        private void ended() {
            boolean last;
            synchronized (this) {
                finished++;
                last = finished == started && (started == logins || failed >= MAX_FAILURES);
            }
            if (last) {
                endNanos = System.nanoTime();
                done.complete(null);
            } else {
                next();
            }
        }

        synchronized Outcome outcome() {
            long end = endNanos != 0 ? endNanos : System.nanoTime();
            int tenth = Math.min(firstMicros.length, Math.max(1, succeeded / 10));
            return new Outcome(succeeded, Map.copyOf(failures), Duration.ofNanos(end - startNanos),
                    medianMillis(firstMicros, 0, Math.min(tenth, succeeded)),
                    medianMillis(latestMicros, Math.max(0, succeeded - tenth), succeeded));
        }

        /** The median of the {@code from}-th to the {@code to}-th login's times, as they sit in {@code ring}. */
        private static double medianMillis(long[] ring, int from, int to) {
            if (to <= from) {
                return 0;
            }
            long[] part = new long[to - from];
            for (int i = from; i < to; i++) {
                part[i - from] = ring[i % ring.length];
            }
            Arrays.sort(part);
            return part[part.length / 2] / 1000.0;
        }
    }
}
