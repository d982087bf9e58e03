package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DerivedPublicationsTest {

    private static ProducerRecord<String, byte[]> record(String topic, String value, String... headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, "juliet@example.com",
                value.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    @Test
    void handlingTheSameRecordAgainDerivesTheSameIdsInTheSameOrder() {
        DerivedPublications first = new DerivedPublications("router id-1");
        DerivedPublications again = new DerivedPublications("router id-1");

        String a = first.idFor(record("gw", "<message/>", "target", "juliet@example.com/a", "connection", "c1"));
        String twice = first.idFor(record("gw", "<message/>", "target", "juliet@example.com/a", "connection", "c1"));

        // Header order is not content: another process may hold them in another order.
        assertThat(again.idFor(record("gw", "<message/>", "connection", "c1", "target", "juliet@example.com/a")))
                .isEqualTo(a);
        assertThat(again.idFor(record("gw", "<message/>", "target", "juliet@example.com/a", "connection", "c1")))
                .isEqualTo(twice);
        assertThat(twice).as("the same record published twice in one handling").isNotEqualTo(a);
    }

    @Test
    void theTraceContextOfAHandlingIsNotPartOfTheRecord() {
        String traced = new DerivedPublications("router id-1").idFor(record("gw", "<message/>", "target", "j/a",
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        // Routed again after a crash, in another span: the same record, which the gateway must drop.
        assertThat(new DerivedPublications("router id-1").idFor(record("gw", "<message/>", "target", "j/a",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate", "x=1")))
                .isEqualTo(traced)
                .isEqualTo(new DerivedPublications("router id-1").idFor(record("gw", "<message/>", "target", "j/a")));
    }

    @Test
    void anythingDifferentInTheRecordOrItsCauseGivesAnotherId() {
        String id = new DerivedPublications("router id-1").idFor(record("gw", "<message/>", "target", "j/a"));

        assertThat(new DerivedPublications("router id-2").idFor(record("gw", "<message/>", "target", "j/a")))
                .as("another cause").isNotEqualTo(id);
        assertThat(new DerivedPublications("roster id-1").idFor(record("gw", "<message/>", "target", "j/a")))
                .as("another consumer group").isNotEqualTo(id);
        assertThat(new DerivedPublications("router id-1").idFor(record("gw2", "<message/>", "target", "j/a")))
                .as("another topic").isNotEqualTo(id);
        assertThat(new DerivedPublications("router id-1").idFor(record("gw", "<message/>", "target", "j/b")))
                .as("another session").isNotEqualTo(id);
        assertThat(new DerivedPublications("router id-1").idFor(record("gw", "<presence/>", "target", "j/a")))
                .as("another stanza").isNotEqualTo(id);
    }
}
