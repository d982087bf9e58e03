package io.aviary.gateway.stream;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per client address in one-minute windows (design.md: throttled failed
 * logins). Past the limit, further attempts from that address are refused until the window ends.
 */
public final class LoginThrottle {

    private static final long WINDOW_MILLIS = 60_000;

    private final int maxFailuresPerWindow;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LoginThrottle(int maxFailuresPerWindow, Clock clock) {
        this.maxFailuresPerWindow = maxFailuresPerWindow;
        this.clock = clock;
    }

    public boolean allows(String address) {
        Window window = windows.get(address);
        return window == null || window.expired(clock.millis()) || window.failures < maxFailuresPerWindow;
    }

    public void failed(String address) {
        long now = clock.millis();
        windows.compute(address, (a, w) -> w == null || w.expired(now) ? new Window(now, 1) : new Window(w.start, w.failures + 1));
        if (windows.size() > 100_000) {
            windows.values().removeIf(w -> w.expired(now));
        }
    }

    private record Window(long start, int failures) {
        boolean expired(long now) {
            return now - start >= WINDOW_MILLIS;
        }
    }
}
