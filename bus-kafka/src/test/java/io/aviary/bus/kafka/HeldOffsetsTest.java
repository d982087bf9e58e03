package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.StanzaBus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HeldOffsetsTest {

    private final TopicPartition archive0 = new TopicPartition("xmpp.archive", 0);
    private final TopicPartition archive1 = new TopicPartition("xmpp.archive", 1);
    private final HeldOffsets offsets = new HeldOffsets();

    @Test
    void aHeldRecordStopsTheCommitOfItsPartitionOnly() {
        offsets.handled(archive0, 4);
        StanzaBus.Hold hold = offsets.hold(archive0, 5);
        offsets.handled(archive0, 5);
        offsets.handled(archive0, 6);
        offsets.handled(archive1, 9);

        assertThat(offsets.toCommit(List.of(archive0, archive1)))
                .isEqualTo(Map.of(archive0, new OffsetAndMetadata(5), archive1, new OffsetAndMetadata(10)));
        hold.release();
        assertThat(offsets.toCommit(List.of(archive0, archive1))).isEqualTo(Map.of(archive0, new OffsetAndMetadata(7)));
    }

    @Test
    void awaitingTheReleaseOfPartitionsReturnsWhenAnotherThreadReleasesTheirHolds() throws Exception {
        StanzaBus.Hold hold = offsets.hold(archive0, 5);
        offsets.hold(archive1, 3); // another partition's hold does not count
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            hold.release();
        });
        releaser.start();

        assertThat(offsets.awaitReleased(List.of(archive0), Duration.ofSeconds(30))).isTrue();
        releaser.join();
    }

    @Test
    void awaitingHoldsThatAreNeverReleasedGivesUpAtTheBound() {
        offsets.hold(archive0, 5);

        assertThat(offsets.awaitReleased(List.of(archive0), Duration.ofMillis(100))).isFalse();
        assertThat(offsets.awaitReleased(List.of(archive1), Duration.ofMillis(100))).isTrue();
    }
}
