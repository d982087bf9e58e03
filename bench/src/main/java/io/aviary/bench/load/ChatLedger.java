package io.aviary.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The books of one chat step: each message gets a sequence number (a slot), receivers tick its
 * slot and record the end-to-end latency of each expected copy (one for a chat message, one per occupant for a
 * group chat message). Copies beyond the expected ones are duplicates; a slot ticked fewer times is a loss.
 * Thread-safe: senders and every event loop write concurrently.
 *
 * <p>A message body is {@code step:sequence:sendNanos}; the generator is one JVM, so
 * {@link System#nanoTime()} of sender and receiver are comparable.
 */
final class ChatLedger {

    private final int step;
    private final AtomicIntegerArray receipts;
    private final AtomicInteger nextSequence = new AtomicInteger();
    private final LongAdder errors = new LongAdder();
    private final LongAdder foreign = new LongAdder();
    private final Recorder latencyMicros = new Recorder(3);
    private final int copies;

    /** @param capacity the most messages this step may send */
    ChatLedger(int step, int capacity) {
        this(step, capacity, 1);
    }

    /** @param copies how many recipients each message has */
    ChatLedger(int step, int capacity, int copies) {
        this.step = step;
        this.receipts = new AtomicIntegerArray(capacity);
        this.copies = copies;
    }

    int step() {
        return step;
    }

    /** The next sequence number, or -1 when the step has sent its capacity. */
    int nextSequence() {
        int seq = nextSequence.getAndIncrement();
        return seq < receipts.length() ? seq : -1;
    }

    /** The body carrying message {@code seq} of this step, sent at {@code sendNanos}. */
    String body(int seq, long sendNanos) {
        return step + ":" + seq + ":" + sendNanos;
    }

    /** Records a received body; bodies of other steps or of other programs count as foreign. */
    void received(String body, long nowNanos) {
        Body parsed = Body.parse(body);
        if (parsed == null || parsed.step != step || parsed.sequence < 0 || parsed.sequence >= sent()) {
            foreign.increment();
            return;
        }
        if (receipts.incrementAndGet(parsed.sequence) <= copies) {
            latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(nowNanos - parsed.sendNanos)));
        }
    }

    /** A message bounced back with type='error'. */
    void error() {
        errors.increment();
    }

    int sent() {
        return Math.min(nextSequence.get(), receipts.length());
    }

    /** Messages delivered to every recipient so far. */
    int delivered() {
        int delivered = 0;
        for (int i = 0, n = sent(); i < n; i++) {
            if (receipts.get(i) >= copies) {
                delivered++;
            }
        }
        return delivered;
    }

    /** Closes the books: call after the grace period. */
    StepResult result(int targetRate, long stepNanos) {
        int sent = sent();
        int delivered = 0;
        long duplicates = 0;
        for (int i = 0; i < sent; i++) {
            int received = receipts.get(i);
            if (received >= copies) {
                delivered++;
                duplicates += received - copies;
            }
        }
        return new StepResult(step, targetRate, sent, delivered, sent - delivered, duplicates, errors.sum(),
                foreign.sum(), Percentiles.of(latencyMicros.getIntervalHistogram()), delivered * 1e9 / stepNanos);
    }

    /**
     * One line of the chat table.
     *
     * @param delivered     messages every recipient received
     * @param lost          sent but not received by every recipient within the grace period
     * @param duplicated    extra copies of messages already received
     * @param errors        messages bounced with type='error' (they are lost too)
     * @param foreign       messages that were not this step's (late ones from an earlier step, or not ours)
     * @param deliveredPerSecond messages delivered (to every recipient) over the step's sending time
     */
    record StepResult(int step, int targetRate, int sent, int delivered, int lost, long duplicated, long errors,
                      long foreign, Percentiles latency, double deliveredPerSecond) {

        /** Whether this step meets the headline bar: no loss, no duplicates, p99 under the bound. */
        boolean clean(double p99BoundMs) {
            return lost == 0 && duplicated == 0 && sent > 0 && latency.p99Ms() < p99BoundMs;
        }
    }

    private record Body(int step, int sequence, long sendNanos) {
        static Body parse(String body) {
            if (body == null) {
                return null;
            }
            int first = body.indexOf(':');
            int second = first < 0 ? -1 : body.indexOf(':', first + 1);
            if (second < 0) {
                return null;
            }
            try {
                return new Body(Integer.parseInt(body, 0, first, 10), Integer.parseInt(body, first + 1, second, 10),
                        Long.parseLong(body, second + 1, body.length(), 10));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
