package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.service.MessageHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the router's {@link ArchiveRecord}s into their owners' archives, one owner at a time (the archive topic is
 * keyed by owner): applies the owner's preferences, appends, and carries out XEP-0424 retractions. A XEP-0308
 * correction is an ordinary message here and is archived as sent. Counts {@code xmpp.archive.writes} by result:
 * stored, duplicate (the bus delivered the record again), skipped (preferences, or a malformed record).
 */
public final class ArchiveWriter implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(ArchiveWriter.class);

    private final ArchiveStore store;
    private final ArchivingPolicy policy;
    private final Counter stored;
    private final Counter duplicate;
    private final Counter skipped;

    public ArchiveWriter(ArchiveStore store, ArchivingPolicy policy, MeterRegistry meters) {
        this.store = store;
        this.policy = policy;
        this.stored = writes(meters, "stored");
        this.duplicate = writes(meters, "duplicate");
        this.skipped = writes(meters, "skipped");
    }

    private static Counter writes(MeterRegistry meters, String result) {
        return Counter.builder("xmpp.archive.writes").description("archive records handled, by result")
                .tag("result", result).register(meters);
    }

    /** Messages without a record's headers are not for the archive. */
    @Override
    public void handleMessage(Stanza message) {
    }

    @Override
    public void handleMessage(Stanza message, BusMessage delivery) {
        if (!ArchiveRecord.isRecord(delivery)) {
            return;
        }
        ArchiveRecord record;
        try {
            record = ArchiveRecord.from(delivery);
        } catch (IllegalArgumentException e) {
            log.warn("dropping a malformed archive record: {}", e.getMessage());
            skipped.increment();
            return;
        }
        write(record);
    }

    void write(ArchiveRecord record) {
        // Looked up before the retraction itself is appended, which could carry the same client id.
        Optional<ArchivedMessage> retracted = Retraction.target(record.message())
                .flatMap(id -> store.findByClientId(record.owner(), ArchivingPolicy.bare(record.with()), id))
                .filter(original -> !original.retracted() && Retraction.sameSender(original, record));
        if (!policy.archives(record.owner(), store.preferences(record.owner()), record.with())) {
            skipped.increment();
        } else if (store.append(new ArchivedMessage(record.owner(), record.id(), record.stamp(), record.direction(),
                record.with(), Retraction.clientId(record.message()), record.message(), false))) {
            stored.increment();
        } else {
            duplicate.increment();
            return;
        }
        retracted.ifPresent(original -> store.retract(record.owner(), original.id(), Retraction.tombstone(
                original.message(), Optional.ofNullable(Retraction.clientId(record.message())).orElse(record.id()),
                record.stamp())));
    }
}
