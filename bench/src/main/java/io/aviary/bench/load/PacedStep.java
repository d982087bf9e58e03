package io.aviary.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;

/** One measured step of messages sent at a fixed rate (open loop, from the calling thread), and the table of steps. */
final class PacedStep {

    private PacedStep() {
    }

    /**
     * Sends at {@code rate} for {@code duration} through {@code send} (given the step's ledger and the message's
     * sequence number), waits up to {@code grace} for the stragglers, closes the books.
     *
     * @param copies how many recipients each message has
     */
    static ChatLedger.StepResult run(AtomicReference<ChatLedger> current, int number, int rate, Duration duration,
                                     Duration grace, int copies, ObjIntConsumer<ChatLedger> send)
            throws InterruptedException {
        int capacity = (int) Math.ceil(rate * duration.toMillis() / 1000.0);
        ChatLedger ledger = new ChatLedger(number, capacity, copies);
        current.set(ledger);
        long start = System.nanoTime();
        long stepNanos = duration.toNanos();
        Pacer pacer = new Pacer(rate, start, capacity);
        while (!pacer.finished() && System.nanoTime() - start < stepNanos + TimeUnit.SECONDS.toNanos(1)) {
            for (long due = pacer.due(System.nanoTime()); due > 0; due--) {
                int seq = ledger.nextSequence();
                if (seq < 0) {
                    break;
                }
                send.accept(ledger, seq);
            }
            TimeUnit.MICROSECONDS.sleep(200);
        }
        long sendingNanos = System.nanoTime() - start;
        long graceEnd = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < graceEnd && ledger.delivered() < ledger.sent()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return ledger.result(rate, Math.max(sendingNanos, stepNanos));
    }

    /** The steps as a table: rate, sent, delivered, lost, duplicates, errors, latency percentiles, delivered/s. */
    static void table(PrintStream out, List<ChatLedger.StepResult> results) {
        List<List<String>> rows = new ArrayList<>();
        for (ChatLedger.StepResult r : results) {
            Percentiles p = r.latency();
            rows.add(List.of(Integer.toString(r.targetRate()), Integer.toString(r.sent()), Integer.toString(r.delivered()),
                    Integer.toString(r.lost()), Long.toString(r.duplicated()), Long.toString(r.errors()),
                    Report.fixed2(p.p50Ms()), Report.fixed2(p.p95Ms()), Report.fixed2(p.p99Ms()), Report.fixed2(p.maxMs()),
                    Report.fixed(r.deliveredPerSecond())));
        }
        Report.table(out, List.of("rate/s", "sent", "delivered", "lost", "dup", "errors", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "delivered/s"), rows);
    }
}
