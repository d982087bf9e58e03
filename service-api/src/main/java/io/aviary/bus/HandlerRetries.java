package io.aviary.bus;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * When the in-process bus gives a message again to a handler that failed on it: after a failure that
 * {@code transientFailure} takes for one a store may recover from (a database's lock time-out, a lost connection),
 * up to {@code times} more attempts, the first after {@code backoff}, each next after twice the wait before.
 * Giving up at once would lose the stanza for a moment's slowness of the store.
 */
public record HandlerRetries(int times, Duration backoff, Predicate<Throwable> transientFailure) {

    /** No second attempt. */
    public static final HandlerRetries NONE = new HandlerRetries(0, Duration.ZERO, failure -> false);

    public HandlerRetries {
        if (times < 0 || times > 10) {
            throw new IllegalArgumentException("retries must be between 0 and 10");
        }
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("the wait before a retry must not be negative");
        }
    }
}
