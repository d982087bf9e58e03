package io.aviary.bus.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Publication ids for what a handler publishes while it handles one record: derived from that record's id and
 * the published record itself, so that handling the same record again (another consumer after a crash or a
 * rebalance, at least once) publishes the same ids, and the consumers downstream ({@link RecentlyHandled}) drop
 * the copies. A record with different content (the registry changed in between: another resource, another
 * gateway) gets a different id and is delivered. Identical records published twice in one handling are told
 * apart by their order.
 */
final class DerivedPublications {

    private final String cause;
    private final Map<UUID, Integer> published = new HashMap<>();

    DerivedPublications(String cause) {
        this.cause = cause;
    }

    /** The id for {@code record} (its {@link StanzaRecords#MESSAGE_ID} header not yet set). */
    String idFor(ProducerRecord<String, byte[]> record) {
        StringBuilder identity = new StringBuilder(cause).append('\n').append(record.topic()).append('\n')
                .append(record.key()).append('\n');
        // Header order is not part of the content (nor stable across processes): sort by name.
        StreamSupport.stream(record.headers().spliterator(), false)
                .sorted(Comparator.comparing(Header::key))
                .forEach(h -> identity.append(h.key()).append('=')
                        .append(new String(h.value(), StandardCharsets.UTF_8)).append('\n'));
        identity.append(new String(record.value(), StandardCharsets.UTF_8));
        UUID content = UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8));
        int occurrence = published.merge(content, 1, Integer::sum);
        return occurrence == 1 ? content.toString() : content + "/" + occurrence;
    }
}
