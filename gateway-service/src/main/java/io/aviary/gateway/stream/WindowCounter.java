package io.aviary.gateway.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key in fixed windows: the first event for a key opens a window of the given length, and
 * the count starts again once it has passed. Thread-safe; expired windows are swept once the map grows large,
 * so keys an attacker makes up cost memory only for one window.
 */
final class WindowCounter {

    private static final int SWEEP_ABOVE = 100_000;

    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    WindowCounter(Duration window, Clock clock) {
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Events for {@code key} in its current window. */
    int count(String key) {
        Window window = windows.get(key);
        return window == null || window.expired(clock.millis(), windowMillis) ? 0 : window.events;
    }

    /** Counts one event; returns the count in the window, this one included. */
    int add(String key) {
        long now = clock.millis();
        Window window = windows.compute(key, (k, w) -> current(w, now).plus(1));
        sweep(now);
        return window.events;
    }

    /** Counts one event unless {@code limit} events are already counted; true if it was counted. */
    boolean tryAdd(String key, int limit) {
        long now = clock.millis();
        boolean[] added = {false};
        windows.compute(key, (k, w) -> {
            Window window = current(w, now);
            added[0] = window.events < limit;
            return added[0] ? window.plus(1) : window;
        });
        sweep(now);
        return added[0];
    }

    /** Takes back an event counted with {@link #tryAdd} that did not happen after all. */
    void remove(String key) {
        windows.computeIfPresent(key, (k, w) -> w.events > 1 ? w.plus(-1) : null);
    }

    private Window current(Window window, long now) {
        return window == null || window.expired(now, windowMillis) ? new Window(now, 0) : window;
    }

    private void sweep(long now) {
        if (windows.size() > SWEEP_ABOVE) {
            windows.values().removeIf(w -> w.expired(now, windowMillis));
        }
    }

    private record Window(long start, int events) {
        Window plus(int n) {
            return new Window(start, events + n);
        }

        boolean expired(long now, long length) {
            return now - start >= length;
        }
    }
}
