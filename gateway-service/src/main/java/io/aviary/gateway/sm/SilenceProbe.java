package io.aviary.gateway.sm;

import io.aviary.gateway.stream.Transport;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Finds a dead connection quickly (issue #11: "a phone that vanished without closing becomes hibernated within a
 * minute"): a bound stream silent for {@code probe-after} is probed, and one that still sends nothing within
 * {@code probe-timeout} is taken for lost. Any input counts as an answer. The checks run on the timer thread; the
 * probe and the verdict on the connection's.
 */
final class SilenceProbe {

    private final StreamManagement sm;
    private final Transport transport;
    private final Runnable probe;
    private final Runnable lost;
    private volatile long lastHeard = System.nanoTime();
    private volatile ScheduledFuture<?> timer;
    private volatile boolean stopped;

    SilenceProbe(StreamManagement sm, Transport transport, Runnable probe, Runnable lost) {
        this.sm = sm;
        this.transport = transport;
        this.probe = probe;
        this.lost = lost;
    }

    void start() {
        if (sm.properties().probing() && timer == null && !stopped) {
            schedule(sm.properties().probeAfter().toNanos());
        }
    }

    void heard() {
        lastHeard = System.nanoTime();
    }

    void stop() {
        stopped = true;
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }

    private void schedule(long delayNanos) {
        if (!stopped) {
            timer = sm.schedule(this::check, Duration.ofNanos(Math.max(delayNanos, 1_000_000)));
        }
    }

    private void check() {
        if (stopped) {
            return;
        }
        long probeAfter = sm.properties().probeAfter().toNanos();
        long silent = System.nanoTime() - lastHeard;
        if (silent < probeAfter) {
            schedule(probeAfter - silent);
            return;
        }
        long probedAt = System.nanoTime();
        transport.execute(probe);
        timer = sm.schedule(() -> verdict(probedAt), sm.properties().probeTimeout());
    }

    private void verdict(long probedAt) {
        if (stopped) {
            return;
        }
        if (lastHeard - probedAt > 0) {
            check();
        } else {
            transport.execute(lost);
        }
    }
}
