package io.aviary.bus.kafka;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final byte SEPARATOR = '\n';
    /**
     * W3C trace context (the tracing interceptor's): it describes this handling, not the record, and differs every
     * time, so a record routed again after a crash would otherwise never be recognised as the same.
     */
    private static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate", "baggage");

    private final byte[] cause;
    /** Concurrent: a handler may go on publishing on another thread while it holds its record (StanzaBus.Hold). */
    private final Map<String, Integer> published = new ConcurrentHashMap<>();

    DerivedPublications(String cause) {
        this.cause = cause.getBytes(StandardCharsets.UTF_8);
    }

    /** The id for {@code record} (its {@link StanzaRecords#MESSAGE_ID} header not yet set). */
    String idFor(ProducerRecord<String, byte[]> record) {
        MessageDigest digest = sha256();
        digest.update(cause);
        update(digest, record.topic());
        update(digest, record.key());
        // Header order is not part of the content (nor stable across processes): sort by name.
        StreamSupport.stream(record.headers().spliterator(), false)
                .filter(h -> !TRACE_CONTEXT.contains(h.key()))
                .sorted(Comparator.comparing(Header::key))
                .forEach(h -> {
                    update(digest, h.key());
                    digest.update(h.value());
                    digest.update(SEPARATOR);
                });
        digest.update(record.value());
        // 128 bits are plenty to tell a group's recent publications apart.
        String content = HexFormat.of().formatHex(digest.digest(), 0, 16);
        int occurrence = published.merge(content, 1, Integer::sum);
        return occurrence == 1 ? content : content + "/" + occurrence;
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(SEPARATOR);
        if (text != null) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
        }
        digest.update(SEPARATOR);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
