package io.aviary.bench.load;

/**
 * Open-loop pacing: how many events should have happened by now at a fixed rate. Callers poll
 * it from a timer and start the difference, so a slow tick is caught up at the next one instead
 * of lowering the rate (no coordinated omission on the sending side).
 */
final class Pacer {

    private final double perSecond;
    private final long startNanos;
    private final long limit;
    private long issued;

    /** @param limit the total number of events, or {@link Long#MAX_VALUE} for as long as the caller polls */
    Pacer(double perSecond, long startNanos, long limit) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.perSecond = perSecond;
        this.startNanos = startNanos;
        this.limit = limit;
    }

    /** Events due at {@code nowNanos} that have not been issued yet; they count as issued on return. */
    long due(long nowNanos) {
        long target = Math.min(limit, (long) Math.floor((nowNanos - startNanos) / 1e9 * perSecond));
        long due = Math.max(0, target - issued);
        issued += due;
        return due;
    }

    long issued() {
        return issued;
    }

    boolean finished() {
        return issued >= limit;
    }
}
