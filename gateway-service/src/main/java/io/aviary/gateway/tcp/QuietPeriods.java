package io.aviary.gateway.tcp;

import java.time.Duration;

/**
 * How a TCP stream's silence is measured: one timer fires every {@code periodMillis} without input. At the first
 * firing the stream's parser gives back its buffers ({@code aviary.gateway.parser-release-after}); every
 * {@code periodsPerTimeout}-th one is the idle timeout ({@code aviary.gateway.idle-timeout}). One timer rather than
 * two keeps an idle connection's own cost down, which is what the release is for.
 *
 * @param periodMillis      time without input between two firings (0: no timer)
 * @param periodsPerTimeout firings per idle timeout (0: the stream never times out)
 */
record QuietPeriods(long periodMillis, int periodsPerTimeout) {

    static QuietPeriods of(Duration idleTimeout, Duration releaseAfter) {
        long timeout = Math.max(0, idleTimeout.toMillis());
        long release = Math.max(0, releaseAfter.toMillis());
        if (timeout == 0) {
            return new QuietPeriods(release, 0);
        }
        if (release == 0 || release >= timeout) {
            return new QuietPeriods(timeout, 1);
        }
        // The timeout is split into equal periods no longer than the release time, so that it stays exact.
        int periods = (int) Math.min(Integer.MAX_VALUE, (timeout + release - 1) / release);
        return new QuietPeriods(timeout / periods, periods);
    }

    /** Whether the {@code n}-th firing in a row (from 1) is the idle timeout. */
    boolean timedOut(int n) {
        return periodsPerTimeout > 0 && n % periodsPerTimeout == 0;
    }
}
