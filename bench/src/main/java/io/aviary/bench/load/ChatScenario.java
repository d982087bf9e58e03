package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code chat}: U sessions online; for each rate step, messages go out at that aggregate rate
 * (paced open-loop from one thread, each from a random online session to another random one's bare
 * JID), and receivers record end-to-end latency, losses and duplicates in the step's
 * {@link ChatLedger}. After each step the generator waits a grace period for stragglers. Steps are
 * numbered from 1; step 0 is the optional warm-up.
 */
final class ChatScenario {

    /** The headline: the highest step with no loss, no duplicates and p99 under this bound. */
    static final double P99_BOUND_MS = 50;

    private ChatScenario() {
    }

    /**
     * @param warmup    an unmeasured step at the first rate before the measured ones (JIT of both JVMs); 0 for none
     * @param serverPid the server's process id, for its CPU time per delivered message and resident memory in each
     *                  step; null to skip them
     * @param serverMetrics an Aviary server's Prometheus endpoint, for the messages it sent to clients a second in each
     *                  step (its own count, late deliveries included); null to skip it
     */
    static Report run(ClientEngine engine, int users, double ramp, List<Integer> rates, Duration step, Duration warmup,
                      Duration grace, String serverPid, URI serverMetrics, PrintStream out) throws InterruptedException {
        // The ledger of the step in progress; receivers read it on the event loops.
        AtomicReference<ChatLedger> current = new AtomicReference<>(new ChatLedger(-1, 0));
        LoginDriver driver = new LoginDriver(engine, true, new XmppConnection.Listener() {
            @Override
            public void message(XmppConnection connection, XmlElement message) {
                long now = System.nanoTime();
                ChatLedger ledger = current.get();
                if ("error".equals(message.attributeOrNull("type"))) {
                    ledger.error();
                } else {
                    ledger.received(message.childText("body", "jabber:client").orElse(null), now);
                }
            }
        });
        out.printf("bringing %d sessions online at %.0f/s%n", users, ramp);
        LoginDriver.LoginOutcome logins = driver.run(users, ramp, i -> i + 1);
        List<XmppConnection> online = driver.online();
        if (online.size() < 2) {
            throw new IllegalStateException("only " + online.size() + " sessions came online: "
                    + logins.failureReasons());
        }
        out.printf("%d online (%d failed); steps of %ds, grace %ds%n", online.size(), logins.failed(),
                step.toSeconds(), grace.toSeconds());

        Sender sender = new Sender(engine, online, current, new SplittableRandom(42));
        if (!warmup.isZero()) {
            ChatLedger.StepResult w = sender.step(0, rates.get(0), warmup, grace);
            out.printf("warm-up (not measured): %d/s sent %d delivered %d p99 %.2f ms%n", w.targetRate(), w.sent(),
                    w.delivered(), w.latency().p99Ms());
        }
        List<ChatLedger.StepResult> results = new ArrayList<>();
        List<Map<String, Object>> server = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            ServerUsage before = ServerUsage.of(serverPid);
            ServerMessages sentBefore = ServerMessages.of(serverMetrics);
            ChatLedger.StepResult result = sender.step(i + 1, rates.get(i), step, grace);
            ServerUsage after = ServerUsage.of(serverPid);
            ServerMessages sentAfter = ServerMessages.of(serverMetrics);
            results.add(result);
            out.printf("step %d: %d/s sent %d delivered %d lost %d p99 %.2f ms%n", i + 1, result.targetRate(),
                    result.sent(), result.delivered(), result.lost(), result.latency().p99Ms());
            Map<String, Object> figures = new LinkedHashMap<>();
            if (after != null) {
                double micros = after.microsPer(before, result.delivered());
                figures.put("cpuMicrosPerMessage", micros);
                figures.put("residentMegabytes", after.residentMegabytes());
                out.printf("  server: %.1f µs CPU per delivered message, %.0f MB resident%n", micros,
                        after.residentMegabytes());
            }
            if (sentAfter != null) {
                double perSecond = sentAfter.perSecondSince(sentBefore);
                figures.put("serverSentPerSecond", perSecond);
                out.printf("  server: %.0f messages/s sent to clients over the step and its grace%n", perSecond);
            }
            if (!figures.isEmpty()) {
                figures.put("rate", result.targetRate());
                server.add(figures);
            }
        }
        current.set(new ChatLedger(-1, 0));

        PacedStep.table(out, results);
        Integer best = highestCleanRate(results);
        out.println(best == null
                ? "no step delivered everything with p99 < " + (int) P99_BOUND_MS + " ms"
                : "highest rate with no loss and p99 < " + (int) P99_BOUND_MS + " ms: " + best + " msg/s");
        out.printf("sessions dropped during the run: %d%s%n", driver.dropped(),
                driver.dropped() == 0 ? "" : " " + driver.dropReasons());
        online.forEach(XmppConnection::close);
        return new Report("chat").put("users", users).put("online", online.size()).put("stepSeconds", step.toMillis() / 1000.0)
                .put("graceSeconds", grace.toMillis() / 1000.0).put("warmupSeconds", warmup.toMillis() / 1000.0).put("logins", logins).put("steps", results)
                .put("dropped", driver.dropped()).put("dropReasons", driver.dropReasons())
                .put("highestCleanRate", best).put("p99BoundMs", P99_BOUND_MS)
                .put("server", server);
    }

    /** Sends the messages of one step at a time from the calling thread, each from a random session to another. */
    private record Sender(ClientEngine engine, List<XmppConnection> online, AtomicReference<ChatLedger> current,
                          SplittableRandom random) {

        ChatLedger.StepResult step(int number, int rate, Duration duration, Duration grace) throws InterruptedException {
            return PacedStep.run(current, number, rate, duration, grace, 1, (ledger, seq) -> {
                XmppConnection from = online.get(random.nextInt(online.size()));
                XmppConnection to = online.get(random.nextInt(online.size() - 1));
                if (to == from) {
                    // nextInt(size - 1) never picks the last one: it stands in for the sender.
                    to = online.get(online.size() - 1);
                }
                from.sendChat(engine.settings().bareJid(to.user()), "m" + seq, ledger.body(seq, System.nanoTime()));
            });
        }
    }

    /** The highest target rate among the clean steps, or null. */
    static Integer highestCleanRate(List<ChatLedger.StepResult> results) {
        Integer best = null;
        for (ChatLedger.StepResult r : results) {
            if (r.clean(P99_BOUND_MS) && (best == null || r.targetRate() > best)) {
                best = r.targetRate();
            }
        }
        return best;
    }
}
