package io.aviary.gateway.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuietPeriodsTest {

    @Test
    void splitsTheIdleTimeoutIntoEqualPeriodsNoLongerThanTheReleaseTime() {
        QuietPeriods quiet = QuietPeriods.of(Duration.ofMinutes(10), Duration.ofSeconds(30));
        assertThat(quiet).isEqualTo(new QuietPeriods(30_000, 20));
        assertThat(quiet.timedOut(19)).isFalse();
        assertThat(quiet.timedOut(20)).isTrue();
        assertThat(quiet.timedOut(40)).as("again every idle timeout, as one timer of that length fires").isTrue();

        // 45 s does not divide into 30 s periods: two of 22.5 s, so the timeout stays at 45 s.
        assertThat(QuietPeriods.of(Duration.ofSeconds(45), Duration.ofSeconds(30)))
                .isEqualTo(new QuietPeriods(22_500, 2));
    }

    @Test
    void withoutAReleaseTimeOrAnIdleTimeoutOneOfThemIsTheTimer() {
        assertThat(QuietPeriods.of(Duration.ofMinutes(10), Duration.ZERO)).isEqualTo(new QuietPeriods(600_000, 1));
        assertThat(QuietPeriods.of(Duration.ofSeconds(20), Duration.ofSeconds(30))).isEqualTo(new QuietPeriods(20_000, 1));

        QuietPeriods noTimeout = QuietPeriods.of(Duration.ZERO, Duration.ofSeconds(30));
        assertThat(noTimeout).isEqualTo(new QuietPeriods(30_000, 0));
        assertThat(noTimeout.timedOut(1_000)).isFalse();
    }
}
