package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;

/**
 * {@code chaos}: pairs of users chat at a fixed total rate, the two users of a pair on different
 * gateways, while faults are injected one after the other by an external command
 * (deploy/local/chaos.sh). Each message carries its sender's sequence number, so the books
 * ({@link DeliveryLog}) count lost, duplicated and reordered messages; each phase of the run (the
 * baseline, each fault, and moving clients back to their home gateway in between) is a row of the table.
 *
 * <p>A fault is injected into a steady cluster only: the baseline and the load before each fault go on (up to
 * {@link #STEADY_LIMIT} longer) until the delivered rate has been back at the sent rate for {@code settle}.
 * A fault phase runs the load for {@code before}, starts the fault command and watches for at least
 * {@code observe} and at most {@code limit}: it ends once the command has finished and the delivered rate
 * to the affected users (those whose stream broke in the phase; everyone when no stream broke) has been at
 * {@link #RATE_FRACTION} of the sent rate or more for {@code settle}.
 */
final class ChaosScenario {

    /** "Back to the sent rate": delivered per second at least this fraction of the rate sent to the same users. */
    static final double RATE_FRACTION = 0.9;
    /** How long the clients get to log in, or to move back home between phases. */
    private static final Duration GATHER_LIMIT = Duration.ofSeconds(60);
    /** The most time the load waits, beyond the baseline or {@code before}, for a steady cluster. */
    private static final Duration STEADY_LIMIT = Duration.ofSeconds(90);

    /**
     * @param pairs    users are {@code 2 * pairs} accounts from 1; the two of a pair write to each other
     * @param rate     messages per second, all senders together (each sends {@code rate / (2 * pairs)})
     * @param baseline load without a fault before the first one
     * @param before   load before each fault, in the fault's phase
     * @param observe  the least time a fault phase watches after the fault
     * @param settle   how long the rate must have been back before the phase ends
     * @param limit    the most time a fault phase watches after the fault; the command is ended then
     * @param grace    after the load stops, the most time to wait for stragglers before closing the books
     * @param budget   the most time the phases may take together: a fault phase's limit is cut to what is left,
     *                 and a fault with less than {@code before + observe} left is skipped
     */
    record Plan(int pairs, double rate, List<String> faults, String command, Duration baseline, Duration before,
                Duration observe, Duration settle, Duration limit, Duration grace, Duration budget) {

        int users() {
            return 2 * pairs;
        }

        /** The most seconds the load can run. */
        long maxSeconds() {
            return budget.toSeconds() + GATHER_LIMIT.toSeconds() + 10;
        }
    }

    /**
     * A phase of the run: the messages due in ids {@code [firstId, endId)}.
     *
     * @param steady whether the cluster was steady when the phase's load ended (baseline) or its fault came
     */
    private record Phase(String name, long startNanos, long endNanos, int firstId, int endId, boolean steady,
                         FaultResult fault) {
    }

    /**
     * @param faultNanos when the command started
     * @param affected   users whose stream broke during the phase after the fault (empty: nobody's did)
     */
    private record FaultResult(long faultNanos, BitSet affected, FaultCommand.Outcome command) {
    }

    private final ClientEngine engine;
    private final Plan plan;
    private final PrintStream out;
    private final DeliveryLog log;
    private final AtomicLongArray droppedAt;
    private final List<Long> drops = new ArrayList<>();
    private final List<ChaosClient> clients = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean sending;

    private ChaosScenario(ClientEngine engine, Plan plan, PrintStream out) {
        this.engine = engine;
        this.plan = plan;
        this.out = out;
        this.log = new DeliveryLog(plan.users(), (int) Math.min(Integer.MAX_VALUE - 8,
                Math.ceil(plan.rate() * plan.maxSeconds())));
        this.droppedAt = new AtomicLongArray(plan.users());
    }

    static Report run(ClientEngine engine, Plan plan, PrintStream out) throws InterruptedException, IOException {
        ChaosScenario scenario = new ChaosScenario(engine, plan, out);
        try {
            return scenario.run();
        } finally {
            scenario.clients.forEach(ChaosClient::stop);
            scenario.timer.shutdownNow();
        }
    }

    private Report run() throws InterruptedException, IOException {
        long origin = System.nanoTime();
        String started = Instant.now().toString();
        logIn();
        Thread sender = new Thread(this::send, "chaos-sender");
        sending = true;
        sender.start();

        List<Phase> phases = new ArrayList<>();
        phases.add(baseline());
        FaultCommand command = new FaultCommand(plan.command());
        long deadline = origin + plan.budget().toNanos();
        List<String> skipped = new ArrayList<>();
        for (String fault : plan.faults()) {
            if (deadline - System.nanoTime() < plan.before().plus(plan.observe()).toNanos()) {
                out.printf("%s: skipped, the time budget of %ds is spent%n", fault, plan.budget().toSeconds());
                skipped.add(fault);
                continue;
            }
            Phase home = returnHome();
            if (home != null) {
                phases.add(home);
            }
            phases.add(fault(fault, command, deadline));
        }
        sending = false;
        sender.join();
        awaitStragglers();

        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> table = new ArrayList<>();
        for (Phase phase : phases) {
            rows.add(describe(phase, origin, table));
        }
        DeliveryLog.Tally total = log.tally(0, log.size());
        table.add(cells("total", total, count(drops, origin, System.nanoTime()), null, null, null, null, null));
        Report.table(out, List.of("phase", "due", "sent", "unsent", "delivered", "lost", "dup", "reordered", "bounced",
                "p99 ms", "max ms", "drops", "restart s", "first ms", "resumed s", "rate back s", "affected"), table);
        out.printf("unreadable messages: %d%n", log.unreadable());
        return new Report("chaos").put("started", started).put("pairs", plan.pairs()).put("rate", plan.rate())
                .put("rateFraction", RATE_FRACTION).put("baselineSeconds", seconds(plan.baseline()))
                .put("beforeSeconds", seconds(plan.before())).put("observeSeconds", seconds(plan.observe()))
                .put("settleSeconds", seconds(plan.settle())).put("limitSeconds", seconds(plan.limit()))
                .put("budgetSeconds", seconds(plan.budget())).put("phases", rows).put("skippedFaults", skipped).put("total", total).put("drops", drops.size())
                .put("unreadable", log.unreadable());
    }

    // ---- clients and load ----

    private void logIn() throws InterruptedException {
        ChaosClient.Events events = new ChaosClient.Events() {
            @Override
            public void message(ChaosClient client, XmlElement message) {
                long now = System.nanoTime();
                String body = message.childText("body", "jabber:client").orElse(null);
                if ("error".equals(message.attributeOrNull("type"))) {
                    log.bounced(body);
                } else {
                    log.received(body, now);
                }
            }

            @Override
            public void dropped(ChaosClient client, String reason) {
                long now = System.nanoTime();
                droppedAt.set(client.index(), now);
                synchronized (drops) {
                    drops.add(now);
                }
            }
        };
        int targets = engine.settings().targets().size();
        for (int i = 0; i < plan.users(); i++) {
            // The two users of a pair (2k, 2k+1) live on different gateways, so every message crosses.
            ChaosClient client = new ChaosClient(engine, timer, events, i, i + 1, i % targets);
            clients.add(client);
            client.start();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        if (!await(() -> clients.stream().allMatch(c -> c.online() != null), GATHER_LIMIT)) {
            long online = clients.stream().filter(c -> c.online() != null).count();
            throw new IllegalStateException("only " + online + " of " + plan.users() + " users logged in");
        }
        out.printf("%d users online, %d pairs, %.0f messages/s%n", plan.users(), plan.pairs(), plan.rate());
    }

    /** The pacer: message k goes from user k mod users to its partner; a sender that is offline skips its turn. */
    private void send() {
        Pacer pacer = new Pacer(plan.rate(), System.nanoTime(), Long.MAX_VALUE);
        long k = 0;
        while (sending) {
            long now = System.nanoTime();
            for (long due = pacer.due(now); due > 0; due--, k++) {
                int from = (int) (k % plan.users());
                int to = from ^ 1;
                XmppConnection connection = clients.get(from).online();
                if (connection == null) {
                    if (!log.unsent(from, to, now)) {
                        return;
                    }
                    continue;
                }
                int id = log.send(from, to, now);
                if (id < 0) {
                    out.println("the delivery log is full: the load stops");
                    return;
                }
                if (!connection.sendChat(clients.get(to).bareJid(), "c" + id, log.body(id))) {
                    log.withdraw(id);
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- phases ----

    private Phase baseline() throws InterruptedException {
        long start = System.nanoTime();
        int firstId = log.size();
        TimeUnit.NANOSECONDS.sleep(plan.baseline().toNanos());
        boolean steady = awaitSteady("baseline");
        return new Phase("baseline", start, System.nanoTime(), firstId, log.size(), steady, null);
    }

    /**
     * Waits (at most {@link #STEADY_LIMIT}) until every one of the last {@code settle} seconds delivered
     * at least {@link #RATE_FRACTION} of the rate; says whether it did.
     */
    private boolean awaitSteady(String phase) throws InterruptedException {
        int seconds = (int) Math.max(1, plan.settle().toSeconds());
        double expected = expectedPerSecond(new BitSet());
        BooleanSupplier steady = () -> {
            long window = System.nanoTime() - TimeUnit.SECONDS.toNanos(seconds);
            return DeliveryLog.backToRate(log.deliveredPerSecond(window, seconds, user -> true), expected) == 0;
        };
        if (steady.getAsBoolean()) {
            return true;
        }
        out.printf("%s: waiting for the delivered rate to keep up with the sent rate%n", phase);
        if (await(steady, STEADY_LIMIT)) {
            return true;
        }
        out.printf("%s: not steady after %ds more; going on%n", phase, STEADY_LIMIT.toSeconds());
        return false;
    }

    /** Moves the users that live away from their home gateway back (each new login replaces its old one). */
    private Phase returnHome() throws InterruptedException {
        if (clients.stream().allMatch(ChaosClient::atHome)) {
            return null;
        }
        long start = System.nanoTime();
        int firstId = log.size();
        out.println("moving users back to their home gateway");
        boolean home = await(() -> {
            clients.forEach(ChaosClient::returnHome);
            return clients.stream().allMatch(ChaosClient::atHome);
        }, GATHER_LIMIT);
        if (!home) {
            out.printf("%d users are not home after %ds; going on%n",
                    clients.stream().filter(c -> !c.atHome()).count(), GATHER_LIMIT.toSeconds());
        }
        TimeUnit.SECONDS.sleep(5);
        return new Phase("move back home", start, System.nanoTime(), firstId, log.size(), true, null);
    }

    /** A fault phase; its watch ends at {@code deadline} if not before, but lasts at least {@code observe}. */
    private Phase fault(String name, FaultCommand command, long deadline) throws InterruptedException, IOException {
        long start = System.nanoTime();
        int firstId = log.size();
        TimeUnit.NANOSECONDS.sleep(plan.before().toNanos());
        boolean steady = awaitSteady(name);
        out.printf("fault: %s%n", name);
        long started = System.nanoTime();
        Duration limit = Duration.ofNanos(Math.max(plan.observe().toNanos(), Math.min(plan.limit().toNanos(),
                deadline - started)));
        FaultCommand.Running running = command.start(name, out);
        long second = TimeUnit.SECONDS.toNanos(1);
        while (true) {
            TimeUnit.MILLISECONDS.sleep(1000);
            long fault = running.injectedNanos();
            long watched = System.nanoTime() - fault;
            if (watched >= limit.toNanos()) {
                out.printf("%s: time limit of %ds reached%n", name, limit.toSeconds());
                break;
            }
            if (!running.done() || watched < plan.observe().toNanos()) {
                continue;
            }
            BitSet affected = affected(fault);
            int[] delivered = log.deliveredPerSecond(fault, (int) (watched / second), receivers(affected));
            int back = DeliveryLog.backToRate(delivered, expectedPerSecond(affected));
            if (back >= 0 && delivered.length - back >= plan.settle().toSeconds()) {
                break;
            }
        }
        FaultCommand.Outcome outcome = running.finish();
        long fault = running.injectedNanos();
        out.printf("%s: command %s after %.1fs%n", name,
                outcome.exitCode() == null ? "ended at the limit" : "exited " + outcome.exitCode(), outcome.seconds());
        return new Phase(name, start, System.nanoTime(), firstId, log.size(), steady,
                new FaultResult(fault, affected(fault), outcome));
    }

    /** Waits (bounded by the grace period) until every sent message has arrived, or nothing more arrives. */
    private void awaitStragglers() throws InterruptedException {
        long end = System.nanoTime() + plan.grace().toNanos();
        int lastDelivered = -1;
        int still = 0;
        while (System.nanoTime() < end) {
            DeliveryLog.Tally tally = log.tally(0, log.size());
            if (tally.lost() == 0) {
                return;
            }
            still = tally.delivered() == lastDelivered ? still + 1 : 0;
            lastDelivered = tally.delivered();
            if (still >= 10) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    // ---- figures ----

    private BitSet affected(long faultNanos) {
        BitSet affected = new BitSet(plan.users());
        for (int i = 0; i < plan.users(); i++) {
            if (droppedAt.get(i) >= faultNanos) {
                affected.set(i);
            }
        }
        return affected;
    }

    private static IntPredicate receivers(BitSet affected) {
        return affected.isEmpty() ? user -> true : affected::get;
    }

    /** The rate sent to the affected users (all, when none is), times the fraction that counts as back. */
    private double expectedPerSecond(BitSet affected) {
        int users = affected.isEmpty() ? plan.users() : affected.cardinality();
        return RATE_FRACTION * plan.rate() * users / plan.users();
    }

    private Map<String, Object> describe(Phase phase, long origin, List<List<String>> table) {
        DeliveryLog.Tally tally = log.tally(phase.firstId(), phase.endId());
        int dropCount = count(drops, phase.startNanos(), phase.endNanos());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", phase.name());
        row.put("startSecond", (phase.startNanos() - origin) / 1e9);
        row.put("seconds", (phase.endNanos() - phase.startNanos()) / 1e9);
        row.put("tally", tally);
        row.put("drops", dropCount);
        row.put("steady", phase.steady());
        FaultResult fault = phase.fault();
        if (fault == null) {
            table.add(cells(phase.name(), tally, dropCount, null, null, null, null, null));
            return row;
        }
        long second = TimeUnit.SECONDS.toNanos(1);
        int watched = (int) ((phase.endNanos() - fault.faultNanos()) / second);
        IntPredicate receivers = receivers(fault.affected());
        double firstMs = log.firstDeliveryAfter(fault.faultNanos(), receivers);
        double resumedMs = log.resumedAfter(fault.faultNanos(), phase.endNanos(), receivers);
        int[] deliveredToAffected = log.deliveredPerSecond(fault.faultNanos(), watched, receivers);
        int back = DeliveryLog.backToRate(deliveredToAffected, expectedPerSecond(fault.affected()));
        String affected = fault.affected().isEmpty() ? "all" : Integer.toString(fault.affected().cardinality());
        table.add(cells(phase.name(), tally, dropCount, fault.command(), firstMs, resumedMs, back, affected));
        Map<String, Object> faultRow = new LinkedHashMap<>();
        faultRow.put("faultSecond", (fault.faultNanos() - origin) / 1e9);
        faultRow.put("commandExitCode", fault.command().exitCode());
        faultRow.put("commandSeconds", fault.command().seconds());
        faultRow.put("affectedUsers", fault.affected().isEmpty() ? plan.users() : fault.affected().cardinality());
        faultRow.put("streamsBroke", !fault.affected().isEmpty());
        faultRow.put("firstDeliveryMs", firstMs < 0 ? null : firstMs);
        faultRow.put("resumedMs", resumedMs < 0 ? null : resumedMs);
        faultRow.put("rateBackSeconds", back < 0 ? null : back);
        faultRow.put("expectedPerSecond", expectedPerSecond(fault.affected()));
        faultRow.put("deliveredToAffectedPerSecond", toList(deliveredToAffected));
        int before = (int) ((fault.faultNanos() - phase.startNanos()) / second);
        int all = (int) ((phase.endNanos() - phase.startNanos()) / second);
        long timelineStart = fault.faultNanos() - before * second;
        faultRow.put("timelineStartSecond", -before);
        faultRow.put("sentPerSecond", toList(log.sentPerSecond(timelineStart, all)));
        faultRow.put("deliveredPerSecond", toList(log.deliveredPerSecond(timelineStart, all, user -> true)));
        row.put("fault", faultRow);
        return row;
    }

    private static List<String> cells(String name, DeliveryLog.Tally t, int drops, FaultCommand.Outcome command,
                                      Double firstMs, Double resumedMs, Integer back, String affected) {
        return List.of(name, Integer.toString(t.due()), Integer.toString(t.sent()), Integer.toString(t.unsent()),
                Integer.toString(t.delivered()), Integer.toString(t.lost()), Long.toString(t.duplicated()),
                Integer.toString(t.reordered()), Integer.toString(t.bounced()), Report.fixed(t.latency().p99Ms()),
                Report.fixed(t.latency().maxMs()), Integer.toString(drops),
                command == null ? "" : command.exitCode() == null ? ">" + Report.fixed(command.seconds())
                        : Report.fixed(command.seconds()),
                firstMs == null ? "" : firstMs < 0 ? "none" : Report.fixed(firstMs),
                resumedMs == null ? "" : resumedMs < 0 ? "none" : Report.fixed(resumedMs / 1000),
                back == null ? "" : back < 0 ? "not back" : Integer.toString(back),
                affected == null ? "" : affected);
    }

    private static int count(List<Long> times, long from, long to) {
        synchronized (times) {
            return (int) times.stream().filter(t -> t >= from && t < to).count();
        }
    }

    private static List<Integer> toList(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return true;
    }
}
