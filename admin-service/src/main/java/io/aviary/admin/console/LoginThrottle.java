package io.aviary.admin.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing at the console: after {@code maxFailures} failed logins from one address within
 * {@code window}, that address is refused until its oldest failure leaves the window. Kept per instance and bounded:
 * past {@value #MAX_ADDRESSES} addresses the oldest memory is dropped rather than the heap grown.
 */
final class LoginThrottle {

    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must wait before trying again; zero when it may try now. */
    Duration wait(String address) {
        Deque<Instant> recent = failures.get(address);
        if (recent == null) {
            return Duration.ZERO;
        }
        synchronized (recent) {
            Instant now = clock.instant();
            while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
                recent.pollFirst();
            }
            if (recent.isEmpty()) {
                failures.remove(address, recent);
                return Duration.ZERO;
            }
            return recent.size() < maxFailures ? Duration.ZERO : Duration.between(now, recent.peekFirst().plus(window));
        }
    }

    void failed(String address) {
        if (failures.size() >= MAX_ADDRESSES && !failures.containsKey(address)) {
            failures.clear();
        }
        Deque<Instant> recent = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(clock.instant());
            while (recent.size() > maxFailures) {
                recent.pollFirst();
            }
        }
    }

    void succeeded(String address) {
        failures.remove(address);
    }

    /** How many addresses are remembered. */
    int size() {
        return failures.size();
    }
}
