package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void issuesWhatIsDueAndCatchesUpAfterALateTick() {
        Pacer pacer = new Pacer(1000, 0, Long.MAX_VALUE);

        assertThat(pacer.due(0)).isZero();
        assertThat(pacer.due(5 * MS)).isEqualTo(5);
        assertThat(pacer.due(5 * MS)).isZero();
        // A tick 100 ms late sends the backlog instead of losing it.
        assertThat(pacer.due(105 * MS)).isEqualTo(100);
        assertThat(pacer.issued()).isEqualTo(105);
    }

    @Test
    void stopsAtTheLimit() {
        Pacer pacer = new Pacer(500, 10 * MS, 3);

        assertThat(pacer.due(12 * MS)).isEqualTo(1);
        assertThat(pacer.finished()).isFalse();
        assertThat(pacer.due(1000 * MS)).isEqualTo(2);
        assertThat(pacer.finished()).isTrue();
        assertThat(pacer.due(2000 * MS)).isZero();
    }
}
