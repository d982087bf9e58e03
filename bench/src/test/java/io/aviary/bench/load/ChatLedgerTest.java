package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatLedgerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void countsDeliveredLostAndDuplicatedMessages() {
        ChatLedger ledger = new ChatLedger(3, 10);
        long t0 = 1_000_000_000L;
        String[] bodies = new String[4];
        for (int i = 0; i < 4; i++) {
            bodies[i] = ledger.body(ledger.nextSequence(), t0);
        }

        ledger.received(bodies[0], t0 + TimeUnit.MILLISECONDS.toNanos(2));
        ledger.received(bodies[1], t0 + TimeUnit.MILLISECONDS.toNanos(8));
        ledger.received(bodies[1], t0 + TimeUnit.MILLISECONDS.toNanos(9));
        ledger.received(bodies[2], t0 + TimeUnit.MILLISECONDS.toNanos(4));
        ledger.error();

        ChatLedger.StepResult result = ledger.result(4, SECOND);
        assertThat(result.sent()).isEqualTo(4);
        assertThat(result.delivered()).isEqualTo(3);
        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.duplicated()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo(1);
        assertThat(result.latency().count()).isEqualTo(3);
        assertThat(result.latency().maxMs()).isBetween(7.99, 8.01);
        assertThat(result.latency().p50Ms()).isBetween(3.99, 4.01);
        assertThat(result.deliveredPerSecond()).isEqualTo(3.0);
        assertThat(result.clean(50)).isFalse();
    }

    @Test
    void aGroupChatMessageIsDeliveredWhenEveryOccupantHasItsCopyAndEachCopyIsTimed() {
        ChatLedger ledger = new ChatLedger(2, 10, 3);
        long t0 = 1_000_000_000L;
        String everyone = ledger.body(ledger.nextSequence(), t0);
        String twoOfThree = ledger.body(ledger.nextSequence(), t0);
        for (int copy = 1; copy <= 4; copy++) {
            ledger.received(everyone, t0 + TimeUnit.MILLISECONDS.toNanos(copy));
        }
        ledger.received(twoOfThree, t0 + TimeUnit.MILLISECONDS.toNanos(10));
        ledger.received(twoOfThree, t0 + TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(ledger.delivered()).isEqualTo(1);
        ChatLedger.StepResult result = ledger.result(2, SECOND);
        assertThat(result.delivered()).isEqualTo(1);
        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.duplicated()).as("the fourth copy of the first").isEqualTo(1);
        assertThat(result.latency().count()).as("three copies of the first, two of the second").isEqualTo(5);
        assertThat(result.latency().maxMs()).as("HdrHistogram, 3 digits").isBetween(19.98, 20.02);
    }

    @Test
    void messagesOfOtherStepsOrProgramsAreForeign() {
        ChatLedger ledger = new ChatLedger(1, 10);
        ledger.nextSequence();

        ledger.received("0:0:123", 200);
        ledger.received("hello", 200);
        ledger.received(null, 200);
        ledger.received("1:5:123", 200);

        ChatLedger.StepResult result = ledger.result(1, SECOND);
        assertThat(result.foreign()).isEqualTo(4);
        assertThat(result.delivered()).isZero();
        assertThat(result.lost()).isEqualTo(1);
    }

    @Test
    void stopsHandingOutSequenceNumbersAtCapacity() {
        ChatLedger ledger = new ChatLedger(0, 2);

        assertThat(ledger.nextSequence()).isZero();
        assertThat(ledger.nextSequence()).isEqualTo(1);
        assertThat(ledger.nextSequence()).isEqualTo(-1);
        assertThat(ledger.sent()).isEqualTo(2);
    }

    @Test
    void theHeadlineIsTheHighestCleanStep() {
        Percentiles fast = new Percentiles(10, 1, 2, 3, 4);
        Percentiles slow = new Percentiles(10, 30, 60, 80, 90);
        List<ChatLedger.StepResult> steps = List.of(
                new ChatLedger.StepResult(0, 500, 10, 10, 0, 0, 0, 0, fast, 500),
                new ChatLedger.StepResult(1, 1000, 10, 10, 0, 0, 0, 0, fast, 1000),
                new ChatLedger.StepResult(2, 2000, 10, 9, 1, 0, 0, 0, fast, 1800),
                new ChatLedger.StepResult(3, 4000, 10, 10, 0, 0, 0, 0, slow, 4000));

        assertThat(ChatScenario.highestCleanRate(steps)).isEqualTo(1000);
        assertThat(ChatScenario.highestCleanRate(steps.subList(2, 4))).isNull();
    }
}
