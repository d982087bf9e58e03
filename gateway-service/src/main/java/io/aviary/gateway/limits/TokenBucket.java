package io.aviary.gateway.limits;

import java.util.function.LongSupplier;

/**
 * A token bucket: it holds at most {@code burst} tokens and gains {@code ratePerSecond} a second. Taking more than it
 * holds leaves it in debt rather than refusing, because what a connection has read is already read: the caller stops
 * reading until {@link #nanosUntilSolvent()} has passed. A rate of 0 means no limit. Not thread-safe: one
 * connection's bucket is used on its event loop only.
 */
public final class TokenBucket {

    /** Tokens are counted in billionths, so that a bucket gains exactly {@code ratePerSecond} of them a nanosecond. */
    private static final long UNIT = 1_000_000_000L;

    private final long ratePerSecond;
    private final long capacity;
    private final LongSupplier nanoClock;
    private long level;
    private long refilledAt;

    /** @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public TokenBucket(long ratePerSecond, long burst, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = Math.multiplyExact(burst, UNIT);
        this.nanoClock = nanoClock;
        this.level = capacity;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Whether this bucket limits anything. */
    public boolean limited() {
        return ratePerSecond > 0;
    }

    /** Takes {@code count} tokens, going into debt if it holds fewer. */
    public void take(long count) {
        if (limited()) {
            refill();
            level -= Math.multiplyExact(count, UNIT);
        }
    }

    /** How long until the bucket is out of debt; 0 when it is not in debt. */
    public long nanosUntilSolvent() {
        if (!limited()) {
            return 0;
        }
        refill();
        return level >= 0 ? 0 : (-level + ratePerSecond - 1) / ratePerSecond;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledAt;
        refilledAt = now;
        // Compared before multiplying: a long idle time times the rate would overflow.
        level = elapsed >= (capacity - level) / ratePerSecond ? capacity : level + elapsed * ratePerSecond;
    }
}
