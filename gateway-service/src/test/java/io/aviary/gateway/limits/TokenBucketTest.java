package io.aviary.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private long now = 1_000;
    private final TokenBucket bucket = new TokenBucket(100, 500, () -> now);

    @Test
    void aFullBucketLetsTheBurstThroughWithoutWaiting() {
        bucket.take(500);
        assertThat(bucket.nanosUntilSolvent()).isZero();
    }

    @Test
    void anOverdrawnBucketWaitsUntilTheRateHasPaidTheDebt() {
        bucket.take(550);
        // 50 tokens of debt at 100 a second.
        assertThat(bucket.nanosUntilSolvent()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        now += TimeUnit.MILLISECONDS.toNanos(300);
        assertThat(bucket.nanosUntilSolvent()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        now += TimeUnit.MILLISECONDS.toNanos(200);
        assertThat(bucket.nanosUntilSolvent()).isZero();
    }

    @Test
    void itRefillsAtItsRateUpToTheBurstOnly() {
        bucket.take(500);
        now += TimeUnit.SECONDS.toNanos(2);
        bucket.take(200);
        assertThat(bucket.nanosUntilSolvent()).as("200 tokens came back in 2 s").isZero();
        bucket.take(1);
        assertThat(bucket.nanosUntilSolvent()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));

        now += TimeUnit.HOURS.toNanos(1);
        bucket.take(501);
        assertThat(bucket.nanosUntilSolvent()).as("an idle hour refills no more than the burst").isPositive();
    }

    @Test
    void overAnyPeriodItLetsThroughAtMostTheBurstAndTheRate() {
        long taken = 0;
        long start = now;
        for (int step = 0; step < 1000; step++) {
            // A greedy client: takes 7 tokens whenever the bucket lets it read.
            if (bucket.nanosUntilSolvent() == 0) {
                bucket.take(7);
                taken += 7;
            }
            now += TimeUnit.MILLISECONDS.toNanos(10);
        }
        double seconds = (now - start) / 1e9;
        assertThat(taken).isLessThanOrEqualTo(500 + (long) (100 * seconds) + 7).isGreaterThan((long) (100 * seconds));
    }

    @Test
    void aRateOfZeroLimitsNothing() {
        TokenBucket unlimited = new TokenBucket(0, 0, () -> now);
        unlimited.take(Long.MAX_VALUE / 2);
        assertThat(unlimited.limited()).isFalse();
        assertThat(unlimited.nanosUntilSolvent()).isZero();
    }
}
