package io.aviary.bench.load;

import org.HdrHistogram.Histogram;

/** Latency figures of one histogram recorded in microseconds, reported in milliseconds. */
record Percentiles(long count, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
