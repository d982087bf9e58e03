package io.aviary.bench.load;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * The books of a chaos run: every message the pacer means to send gets an id, in the order it is
 * due. A message that goes out carries {@code id:sequence} in its body, the sequence counting the
 * messages of its sender (each sender writes to one partner), so its receiver can tell a lost one
 * (never received), a duplicate (received again) and a reordered one (received after a later
 * message of the same sender). A message due while its sender was offline is recorded as unsent.
 *
 * <p>Ids grow with time, so a window of the run is a range of ids. Thread-safe: one pacer sends
 * while every event loop receives.
 */
final class DeliveryLog {

    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLongArray dueAt;
    private final AtomicIntegerArray from;
    private final AtomicIntegerArray to;
    /** The sender's sequence number, or -1 for a message that was not sent. */
    private final AtomicIntegerArray sequence;
    private final AtomicIntegerArray copies;
    private final AtomicLongArray firstReceivedAt;
    private final AtomicIntegerArray outOfOrder;
    private final AtomicIntegerArray bounced;
    /** Per sender: the next sequence number to hand out (pacer only) and the highest one its partner received. */
    private final int[] nextSequence;
    private final AtomicIntegerArray highestReceived;
    private final LongAdder unreadable = new LongAdder();

    /**
     * @param users    senders and receivers are numbered {@code 0..users-1}
     * @param capacity the most messages the run may log; the pacer stops when it is reached
     */
    DeliveryLog(int users, int capacity) {
        dueAt = new AtomicLongArray(capacity);
        from = new AtomicIntegerArray(capacity);
        to = new AtomicIntegerArray(capacity);
        sequence = new AtomicIntegerArray(capacity);
        copies = new AtomicIntegerArray(capacity);
        firstReceivedAt = new AtomicLongArray(capacity);
        outOfOrder = new AtomicIntegerArray(capacity);
        bounced = new AtomicIntegerArray(capacity);
        nextSequence = new int[users];
        highestReceived = new AtomicIntegerArray(users);
        for (int i = 0; i < users; i++) {
            highestReceived.set(i, -1);
        }
    }

    /** Logs a message that goes out now and returns its id, or -1 when the log is full. */
    int send(int sender, int receiver, long nowNanos) {
        int id = log(sender, receiver, nowNanos);
        if (id >= 0) {
            sequence.set(id, nextSequence[sender]++);
        }
        return id;
    }

    /** The body that carries message {@code id}: {@code id:sequence}. */
    String body(int id) {
        return id + ":" + sequence.get(id);
    }

    /** The connection refused message {@code id} (it had just closed): it was not sent after all. */
    void withdraw(int id) {
        sequence.set(id, -1);
    }

    /** Logs a message that was due while its sender was offline; false when the log is full. */
    boolean unsent(int sender, int receiver, long nowNanos) {
        return log(sender, receiver, nowNanos) >= 0;
    }

    private int log(int sender, int receiver, long nowNanos) {
        int id = next.getAndIncrement();
        if (id >= dueAt.length()) {
            next.decrementAndGet();
            return -1;
        }
        dueAt.set(id, nowNanos);
        from.set(id, sender);
        to.set(id, receiver);
        sequence.set(id, -1);
        return id;
    }

    /** Messages logged so far: the id the next one will get. */
    int size() {
        return next.get();
    }

    /** Records a received body; a body that is not one of ours counts as unreadable. */
    void received(String body, long nowNanos) {
        int id = id(body);
        if (id < 0) {
            unreadable.increment();
            return;
        }
        if (copies.incrementAndGet(id) > 1) {
            return;
        }
        firstReceivedAt.set(id, nowNanos);
        int sender = from.get(id);
        int seq = sequence.get(id);
        for (int highest = highestReceived.get(sender); ; highest = highestReceived.get(sender)) {
            if (seq < highest) {
                outOfOrder.set(id, 1);
                return;
            }
            if (highestReceived.compareAndSet(sender, highest, seq)) {
                return;
            }
        }
    }

    /** Records a message that came back with type='error' (the server could not deliver it). */
    void bounced(String body) {
        int id = id(body);
        if (id < 0) {
            unreadable.increment();
        } else {
            bounced.set(id, 1);
        }
    }

    /** The id in {@code id:sequence}, or -1 when the body is not a message this log sent. */
    private int id(String body) {
        int colon = body == null ? -1 : body.indexOf(':');
        if (colon <= 0) {
            return -1;
        }
        try {
            int id = Integer.parseInt(body, 0, colon, 10);
            int seq = Integer.parseInt(body, colon + 1, body.length(), 10);
            return id < size() && seq >= 0 && sequence.get(id) == seq ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    long unreadable() {
        return unreadable.sum();
    }

    /**
     * What became of the messages due in ids {@code [firstId, endId)}.
     *
     * @param unsent     due while the sender was offline, so never sent
     * @param lost       sent and never received
     * @param duplicated extra copies of received messages
     * @param reordered  received after a later message of the same sender
     * @param bounced    came back to the sender with type='error' (they count as lost as well)
     * @param latency    from due to first receipt, of the delivered ones
     */
    record Tally(int due, int sent, int unsent, int delivered, int lost, long duplicated, int reordered, int bounced,
                 Percentiles latency) {
    }

    Tally tally(int firstId, int endId) {
        Histogram micros = new Histogram(3);
        int sent = 0;
        int delivered = 0;
        long duplicated = 0;
        int reordered = 0;
        int bouncedCount = 0;
        for (int id = firstId; id < endId; id++) {
            if (sequence.get(id) < 0) {
                continue;
            }
            sent++;
            bouncedCount += bounced.get(id);
            int n = copies.get(id);
            if (n == 0) {
                continue;
            }
            delivered++;
            duplicated += n - 1;
            reordered += outOfOrder.get(id);
            micros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(firstReceivedAt.get(id) - dueAt.get(id))));
        }
        return new Tally(endId - firstId, sent, endId - firstId - sent, delivered, sent - delivered, duplicated,
                reordered, bouncedCount, Percentiles.of(micros));
    }

    /**
     * Milliseconds from {@code faultNanos} until the first receipt, by one of {@code receivers}, of a
     * message due at or after the fault; -1 when there was none.
     */
    double firstDeliveryAfter(long faultNanos, IntPredicate receivers) {
        long first = Long.MAX_VALUE;
        for (int id = 0, n = size(); id < n; id++) {
            if (dueAt.get(id) >= faultNanos && copies.get(id) > 0 && receivers.test(to.get(id))) {
                first = Math.min(first, firstReceivedAt.get(id));
            }
        }
        return first == Long.MAX_VALUE ? -1 : (first - faultNanos) / 1e6;
    }

    /**
     * Milliseconds from {@code faultNanos} to the end of the longest stretch in {@code [faultNanos, endNanos)}
     * during which none of {@code receivers} received anything: when delivery resumed after the outage (a
     * message already past the failing part can still arrive just after the fault). -1 when nothing arrived.
     */
    double resumedAfter(long faultNanos, long endNanos, IntPredicate receivers) {
        long[] times = new long[size()];
        int n = 0;
        for (int id = 0, size = size(); id < size; id++) {
            long at = firstReceivedAt.get(id);
            if (copies.get(id) > 0 && at >= faultNanos && at < endNanos && receivers.test(to.get(id))) {
                times[n++] = at;
            }
        }
        if (n == 0) {
            return -1;
        }
        Arrays.sort(times, 0, n);
        long previous = faultNanos;
        long longest = -1;
        long resumed = times[0];
        for (int i = 0; i < n; i++) {
            if (times[i] - previous > longest) {
                longest = times[i] - previous;
                resumed = times[i];
            }
            previous = times[i];
        }
        return (resumed - faultNanos) / 1e6;
    }

    /** Messages sent in each whole second from {@code startNanos} (by the time they were due). */
    int[] sentPerSecond(long startNanos, int seconds) {
        int[] counts = new int[seconds];
        for (int id = 0, n = size(); id < n; id++) {
            if (sequence.get(id) >= 0) {
                count(counts, startNanos, dueAt.get(id));
            }
        }
        return counts;
    }

    /** Distinct messages received by one of {@code receivers} in each whole second from {@code startNanos}. */
    int[] deliveredPerSecond(long startNanos, int seconds, IntPredicate receivers) {
        int[] counts = new int[seconds];
        for (int id = 0, n = size(); id < n; id++) {
            if (copies.get(id) > 0 && receivers.test(to.get(id))) {
                count(counts, startNanos, firstReceivedAt.get(id));
            }
        }
        return counts;
    }

    private static void count(int[] counts, long startNanos, long at) {
        long second = Math.floorDiv(at - startNanos, TimeUnit.SECONDS.toNanos(1));
        if (second >= 0 && second < counts.length) {
            counts[(int) second]++;
        }
    }

    /** Seconds averaged when deciding whether the rate is back: one second's count jitters by ±10 %. */
    static final int SMOOTHING = 3;

    /**
     * The second from which the delivered rate stayed at or above {@code expected}: the run of seconds that
     * reaches the end of {@code perSecond}, each second averaged with the next {@link #SMOOTHING} - 1 (fewer at
     * the end) so that jitter does not break it, starting at a second that reached {@code expected} on its own
     * (a burst does not count for the empty seconds before it). 0 when it never dropped, -1 when the last
     * seconds are still below.
     */
    static int backToRate(int[] perSecond, double expected) {
        int start = perSecond.length;
        while (start > 0 && average(perSecond, start - 1) >= expected) {
            start--;
        }
        while (start < perSecond.length && perSecond[start] < expected) {
            start++;
        }
        return start == perSecond.length ? -1 : start;
    }

    private static double average(int[] perSecond, int from) {
        int to = Math.min(perSecond.length, from + SMOOTHING);
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += perSecond[i];
        }
        return sum / (to - from);
    }
}
