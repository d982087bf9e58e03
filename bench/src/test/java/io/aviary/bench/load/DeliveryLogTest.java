package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryLogTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void countsLostDuplicatedReorderedAndUnsentMessagesOfOneSender() {
        DeliveryLog log = new DeliveryLog(2, 10);
        int[] ids = new int[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = log.send(0, 1, i * MS);
        }
        log.unsent(0, 1, 5 * MS);

        log.received(log.body(ids[0]), 10 * MS);
        log.received(log.body(ids[2]), 12 * MS);
        log.received(log.body(ids[1]), 13 * MS);  // after a later one: reordered
        log.received(log.body(ids[2]), 14 * MS);  // again: duplicate
        log.bounced(log.body(ids[3]));             // came back as an error, never delivered
        // ids[4] never arrives: lost

        DeliveryLog.Tally tally = log.tally(0, log.size());
        assertThat(tally.due()).isEqualTo(6);
        assertThat(tally.sent()).isEqualTo(5);
        assertThat(tally.unsent()).isEqualTo(1);
        assertThat(tally.delivered()).isEqualTo(3);
        assertThat(tally.lost()).isEqualTo(2);
        assertThat(tally.duplicated()).isEqualTo(1);
        assertThat(tally.reordered()).isEqualTo(1);
        assertThat(tally.bounced()).isEqualTo(1);
        assertThat(tally.latency().maxMs()).isBetween(11.9, 12.1);
    }

    @Test
    void sequencesAreCountedPerSenderSoTwoSendersDoNotLookReordered() {
        DeliveryLog log = new DeliveryLog(2, 10);
        int a1 = log.send(0, 1, 0);
        int b1 = log.send(1, 0, 0);
        int a2 = log.send(0, 1, 0);
        int b2 = log.send(1, 0, 0);

        log.received(log.body(a2), MS);
        log.received(log.body(b1), MS);
        log.received(log.body(b2), MS);
        log.received(log.body(a1), MS);

        assertThat(log.tally(0, log.size()).reordered()).isEqualTo(1);
        assertThat(log.tally(a1, a1 + 1).reordered()).isEqualTo(1);
        assertThat(log.tally(b1, b2 + 1).reordered()).isZero();
    }

    @Test
    void aWithdrawnMessageWasNotSentAndBodiesThatAreNotOursAreUnreadable() {
        DeliveryLog log = new DeliveryLog(2, 10);
        int id = log.send(0, 1, 0);
        log.withdraw(id);
        int next = log.send(0, 1, 0);

        log.received("hello", MS);
        log.received(null, MS);
        log.received(id + ":0", MS);     // the withdrawn one never went out
        log.received(next + ":7", MS);   // right id, wrong sequence
        log.received("99:0", MS);        // an id never handed out

        DeliveryLog.Tally tally = log.tally(0, log.size());
        assertThat(tally.sent()).isEqualTo(1);
        assertThat(tally.unsent()).isEqualTo(1);
        assertThat(tally.delivered()).isZero();
        assertThat(log.unreadable()).isEqualTo(5);
    }

    @Test
    void stopsWhenFull() {
        DeliveryLog log = new DeliveryLog(2, 2);

        assertThat(log.send(0, 1, 0)).isZero();
        assertThat(log.unsent(1, 0, 0)).isTrue();
        assertThat(log.send(0, 1, 0)).isEqualTo(-1);
        assertThat(log.unsent(0, 1, 0)).isFalse();
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void firstDeliveryAfterAFaultCountsOnlyMessagesSentSinceAndTheGivenReceivers() {
        DeliveryLog log = new DeliveryLog(4, 10);
        long fault = 10 * SECOND;
        int old = log.send(0, 1, fault - SECOND);
        int toOther = log.send(2, 3, fault + MS);
        int toAffected = log.send(0, 1, fault + 2 * MS);

        log.received(log.body(old), fault + 100 * MS);
        log.received(log.body(toOther), fault + 200 * MS);
        assertThat(log.firstDeliveryAfter(fault, user -> user == 1)).isEqualTo(-1);

        log.received(log.body(toAffected), fault + 1500 * MS);
        assertThat(log.firstDeliveryAfter(fault, user -> user == 1)).isEqualTo(1500.0);
        assertThat(log.firstDeliveryAfter(fault, user -> true)).isEqualTo(200.0);
    }

    @Test
    void deliveryResumesAtTheEndOfTheLongestSilenceAfterTheFault() {
        DeliveryLog log = new DeliveryLog(4, 10);
        long fault = 10 * SECOND;
        int inFlight = log.send(0, 1, fault - MS);
        int afterOutage = log.send(0, 1, fault + MS);
        int next = log.send(0, 1, fault + 2 * MS);
        int toOther = log.send(2, 3, fault + 3 * MS);

        assertThat(log.resumedAfter(fault, fault + 30 * SECOND, user -> true)).isEqualTo(-1);
        log.received(log.body(inFlight), fault + 20 * MS);        // was past the failing part already
        log.received(log.body(toOther), fault + 5000 * MS);       // not one of the receivers asked about
        log.received(log.body(afterOutage), fault + 12_000 * MS);
        log.received(log.body(next), fault + 12_050 * MS);

        assertThat(log.resumedAfter(fault, fault + 30 * SECOND, user -> user == 1)).isEqualTo(12_000.0);
        assertThat(log.resumedAfter(fault, fault + 30 * SECOND, user -> true)).isEqualTo(12_000.0);
        assertThat(log.resumedAfter(fault, fault + 4 * SECOND, user -> true)).isEqualTo(20.0);
    }

    @Test
    void perSecondCountsAreBucketedFromTheGivenStart() {
        DeliveryLog log = new DeliveryLog(2, 10);
        long start = 5 * SECOND;
        int a = log.send(0, 1, start - MS);          // before the start: in no bucket
        int b = log.send(0, 1, start + 10 * MS);
        int c = log.send(1, 0, start + 1100 * MS);
        log.unsent(1, 0, start + 1200 * MS);         // not sent: not counted
        log.received(log.body(a), start + 20 * MS);
        log.received(log.body(b), start + 2500 * MS);
        log.received(log.body(c), start + 2600 * MS);

        assertThat(log.sentPerSecond(start, 3)).containsExactly(1, 1, 0);
        assertThat(log.deliveredPerSecond(start, 3, user -> true)).containsExactly(1, 0, 2);
        assertThat(log.deliveredPerSecond(start, 3, user -> user == 0)).containsExactly(0, 0, 1);
    }

    @Test
    void theRateIsBackFromTheStartOfTheLastRunAtOrAboveTheExpectedRate() {
        assertThat(DeliveryLog.backToRate(new int[] {100, 100, 100}, 90)).isZero();
        // The burst after the gap is no reason to call the empty seconds before it recovered.
        assertThat(DeliveryLog.backToRate(new int[] {100, 0, 0, 95, 300, 100}, 90)).isEqualTo(3);
        // A dip after a first recovery: only the last run counts.
        assertThat(DeliveryLog.backToRate(new int[] {0, 100, 100, 0, 0, 100, 100, 100}, 90)).isEqualTo(5);
        assertThat(DeliveryLog.backToRate(new int[] {100, 100, 10, 10}, 90)).isEqualTo(-1);
        assertThat(DeliveryLog.backToRate(new int[0], 90)).isEqualTo(-1);
    }

    @Test
    void aSecondJustUnderTheRateDoesNotBreakTheRun() {
        assertThat(DeliveryLog.backToRate(new int[] {0, 0, 100, 88, 100, 95, 87, 100}, 90)).isEqualTo(2);
    }
}
