package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.kafka.TransientStoreFailure;
import io.aviary.service.MessageHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the router's {@link ArchiveRecord}s into their owners' archives, one owner at a time (the archive topic is
 * keyed by owner): applies the owner's preferences, appends, and carries out XEP-0424 retractions. A XEP-0308
 * correction is an ordinary message here and is archived as sent. Counts {@code xmpp.archive.writes} by result:
 * stored, duplicate (the bus delivered the record again), skipped (preferences, or a malformed record). Writes each
 * record as it comes, or {@link #writingBehind behind the bus} in batches, each record {@link StanzaBus#hold held} on
 * the bus until its batch is written.
 */
public final class ArchiveWriter implements MessageHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArchiveWriter.class);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Comparator<Pending> BY_OWNER = Comparator.comparing(Pending::owner);
    private static final StanzaBus.Hold NOT_HELD = () -> { };
    /** The wait before a write that failed on an unreachable store is tried again, doubled up to {@link #LAST_RETRY}. */
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final ArchiveStore store;
    private final ArchivingPolicy policy;
    private final Counter stored;
    private final Counter duplicate;
    private final Counter skipped;
    private ArchiveWriteBehind<Pending> behind;
    private Supplier<Optional<StanzaBus.Hold>> holds = Optional::empty;
    private boolean deliveredOnce;
    private volatile boolean closing;

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

    /**
     * From now on records are queued (at most {@code capacity}) and written in batches, each batch in one
     * {@code transaction}; each record is held on the bus ({@code holds}, {@link StanzaBus#hold}) until its batch is
     * written, so that a bus that hands records over again (Kafka) commits a record only once it is in the archive, and
     * hands it to the next archive instance when this one stops or dies before. Without holds, what is queued is lost
     * with the process, as an in-process bus's own queue is.
     */
    public ArchiveWriter writingBehind(int capacity, Consumer<Runnable> transaction,
                                       Supplier<Optional<StanzaBus.Hold>> holds) {
        this.holds = holds;
        behind = new ArchiveWriteBehind<>(capacity, batch -> writeBatch(batch, transaction));
        return this;
    }

    /**
     * From now on each record is taken to come from a bus that hands it over once ({@link
     * io.aviary.bus.StanzaBus#redelivers()} false): its id is {@link ArchiveStore#appendNew new} to the archive, and no
     * record is counted as a duplicate.
     */
    public ArchiveWriter deliveredOnce() {
        deliveredOnce = true;
        return this;
    }

    /** Returns once every record handed over before is written (at once when writing synchronously). */
    public void settle() {
        if (behind != null) {
            try {
                behind.settle(SETTLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Messages without a record's headers are not for the archive. */
    @Override
    public void handleMessage(Stanza message) {
    }

    @Override
    public void handleMessage(Stanza message, BusMessage delivery) {
        String removed = ArchiveRecord.removalOf(delivery);
        if (removed != null) {
            settle(); // the owner's records before the request go first, then the whole archive
            store.removeOwner(removed);
            return;
        }
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
        if (!record.kept()) {
            return; // for push notifications only
        }
        Pending pending = pending(record);
        if (pending == null) {
            skipped.increment();
        } else if (behind == null) {
            write(pending);
        } else {
            submit(pending);
        }
    }

    /** Queues {@code pending} for the write-behind, held on the bus; written here when the writer has closed. */
    private void submit(Pending pending) {
        StanzaBus.Hold hold = holds.get().orElse(NOT_HELD);
        try {
            if (behind.submit(pending.heldBy(hold))) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hold.release();
        write(pending); // on the bus's thread, which handles the record again if this throws
    }

    /**
     * A record as it waits for its write, worked out on the thread that hands it over: whether the owner's
     * preferences archive it (as they were when it came, in the bus's order with the owner's changes to them), the
     * message {@link ArchiveStore#prepare prepared} by the store (null when not archived), and the record itself only
     * for a retraction, which carries out even when it is not archived itself, and whose tombstone is made of it;
     * with the bus's hold on the record while it waits.
     */
    record Pending(String owner, ArchiveStore.Prepared message, ArchiveRecord retraction, StanzaBus.Hold hold) {

        Pending heldBy(StanzaBus.Hold busHold) {
            return new Pending(owner, message, retraction, busHold);
        }
    }

    /** Null when there is nothing to write: a message the preferences do not archive, and no retraction. */
    Pending pending(ArchiveRecord record) {
        ArchiveRecord retraction = Retraction.target(record.message()).isPresent() ? record : null;
        if (!policy.archives(record.owner(), store.preferences(record.owner()), record.with())) {
            return retraction == null ? null : new Pending(record.owner(), null, retraction, NOT_HELD);
        }
        ArchivedMessage message = new ArchivedMessage(record.owner(), record.id(), record.stamp(), record.direction(),
                record.with(), Retraction.clientId(record.message()), record.message(), false);
        return new Pending(record.owner(), store.prepare(message), retraction, NOT_HELD);
    }

    /**
     * A batch in one transaction; when that fails (one bad record rolls back all), each record on its own, each id looked
     * up first: a store may have written part of the batch before the failure (RocksDB writes what has gathered before
     * a read within the batch). The batch is first grouped by owner, each owner's records keeping their order (the sort
     * is stable): the store's keys start with the owner, and writes that land next to each other cost its indexes less
     * than writes scattered over a thousand archives. A write that fails because the store cannot be reached is tried
     * again until it can, and the write-behind's queue fills meanwhile, slowing the bus down as a synchronous write
     * would. Each record's hold is released once it is written or fails for good; a record still unwritten when the
     * writer closes stays held, for the bus to hand over again.
     */
    void writeBatch(List<Pending> batch, Consumer<Runnable> transaction) {
        batch.sort(BY_OWNER);
        try {
            untilReachable(() -> transaction.accept(() -> writeInOrder(batch)));
            batch.forEach(pending -> pending.hold().release());
            return;
        } catch (RuntimeException e) {
            log.warn("a batch of {} archive records failed ({}); writing them one by one", batch.size(), e.toString());
        }
        for (Pending pending : batch) {
            try {
                untilReachable(() -> write(pending, false));
            } catch (RuntimeException failure) {
                if (TransientStoreFailure.is(failure)) {
                    log.warn("left {} for {} to the bus: the archive is closing and its store is unreachable",
                            describe(pending), pending.owner());
                    continue;
                }
                log.error("could not archive {} for {}", describe(pending), pending.owner(), failure);
                skipped.increment();
            }
            pending.hold().release();
        }
    }

    /**
     * The records in their order: each run of messages in one call of the store, which sends a run's statements to
     * a database server together (one round trip instead of one a record, and the writer's thread not waiting on each);
     * each retraction on its own, since it reads the archive as written before it.
     */
    private void writeInOrder(List<Pending> batch) {
        List<ArchiveStore.Prepared> run = new ArrayList<>();
        for (Pending pending : batch) {
            if (pending.retraction() == null) {
                run.add(pending.message());
            } else {
                append(run, deliveredOnce);
                run.clear();
                write(pending);
            }
        }
        append(run, deliveredOnce);
    }

    /** @param fresh whether the messages' ids cannot be in the archive yet */
    private void append(List<ArchiveStore.Prepared> messages, boolean fresh) {
        if (!messages.isEmpty()) {
            counted(messages.size(), store.append(messages, fresh));
        }
    }

    private void counted(int records, int appended) {
        stored.increment(appended);
        duplicate.increment(records - appended);
    }

    private static String describe(Pending pending) {
        return pending.message() == null ? "a retraction" : pending.message().id();
    }

    /** Runs {@code work}, again after a growing wait while it fails on a store that cannot be reached, until closing. */
    private void untilReachable(Runnable work) {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (closing || !TransientStoreFailure.is(e)) {
                    throw e;
                }
                log.warn("the archive store cannot be reached ({}); writing again in {}", e.toString(), wait);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                Duration doubled = wait.multipliedBy(2);
                wait = doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (behind != null) {
            behind.close();
        }
    }

    void write(Pending pending) {
        write(pending, deliveredOnce);
    }

    /** @param fresh whether the record's id cannot be in the archive yet */
    private void write(Pending pending, boolean fresh) {
        ArchiveRecord retraction = pending.retraction();
        // Looked up before the retraction itself is appended, which could carry the same client id.
        Optional<ArchivedMessage> retracted = retraction == null ? Optional.empty() : retracted(retraction);
        if (pending.message() == null) {
            skipped.increment();
        } else if (fresh) {
            store.appendNew(pending.message());
            counted(1, 1);
        } else {
            counted(1, store.append(pending.message()) ? 1 : 0); // one id looked up, as the batch's fallback needs
        }
        // Retracts even when the record was a duplicate: the last attempt may have stopped between the two writes.
        retracted.ifPresent(original -> store.retract(retraction.owner(), original.id(), Retraction.moderation(retraction)
                ? Retraction.moderatedTombstone(original.message(), retraction.message(), retraction.stamp())
                : Retraction.tombstone(original.message(),
                        Optional.ofNullable(Retraction.clientId(retraction.message())).orElse(retraction.id()),
                        retraction.stamp())));
    }

    /**
     * The message a retraction retracts, if it may. A moderation names the room's stanza id of any occupant's message;
     * a retraction a client id of the sender's own, or in a room (XEP-0424 §"Retracting a message in a MUC") the
     * room's stanza id of it, in the same conversation. Never the retraction itself, nor one retracted already.
     */
    private Optional<ArchivedMessage> retracted(ArchiveRecord record) {
        boolean moderation = Retraction.moderation(record);
        String conversation = ArchivingPolicy.bare(record.with());
        return Retraction.target(record.message())
                .flatMap(id -> moderation ? store.find(record.owner(), id)
                        : store.findByClientId(record.owner(), conversation, id)
                                .or(() -> store.find(record.owner(), id)
                                        .filter(original -> ArchivingPolicy.bare(original.with()).equals(conversation))))
                .filter(original -> !original.retracted() && !original.id().equals(record.id())
                        && (moderation || Retraction.sameSender(original, record)));
    }
}
