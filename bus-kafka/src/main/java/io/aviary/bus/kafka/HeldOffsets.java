package io.aviary.bus.kafka;

import io.aviary.bus.StanzaBus;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What one subscription may commit on each partition it consumes: everything its handler has returned from, except
 * that a record still {@link StanzaBus#hold held} stops the commit at its offset, so a successor after a crash or a
 * stop starts there (and handles again what followed it: at least once, as everywhere on the bus). Handled and held
 * offsets are noted on the consumer's thread; a hold is released from any thread.
 */
final class HeldOffsets {

    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, TreeSet<Long>> held = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** The handler returned from the record at {@code offset}. */
    synchronized void handled(TopicPartition partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /** Holds the record at {@code offset} until the returned hold is released; releasing twice is harmless. */
    synchronized StanzaBus.Hold hold(TopicPartition partition, long offset) {
        held.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(partition, offset);
            }
        };
    }

    private synchronized void release(TopicPartition partition, long offset) {
        TreeSet<Long> offsets = held.get(partition);
        if (offsets != null) {
            offsets.remove(offset);
        }
        notifyAll();
    }

    /**
     * Waits, at most {@code max}, until no record of {@code partitions} is held: their holders' work (a batch of archive
     * writes) then ends before the partitions' next owner starts on the same records, instead of running beside it.
     * False when some are still held at the end (or the wait was interrupted).
     */
    synchronized boolean awaitReleased(Collection<TopicPartition> partitions, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (partitions.stream().anyMatch(p -> held.containsKey(p) && !held.get(p).isEmpty())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The offsets to commit on {@code owned} that are further than the last ones returned: on each partition the
     * lowest held offset, or after the last handled record when none is held. Counted as committed from now on.
     */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> owned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : owned) {
            Long after = next.get(partition);
            if (after == null) {
                continue;
            }
            TreeSet<Long> waiting = held.get(partition);
            long upTo = waiting == null || waiting.isEmpty() ? after : Math.min(after, waiting.first());
            if (upTo > committed.getOrDefault(partition, -1L)) {
                offsets.put(partition, new OffsetAndMetadata(upTo));
                committed.put(partition, upTo);
            }
        }
        return offsets;
    }

    /**
     * {@code partitions} went to another consumer: their state goes, and holds released later change nothing. The
     * new owner starts from the last commit, so it gets the held records again.
     */
    synchronized void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            next.remove(partition);
            held.remove(partition);
            committed.remove(partition);
        });
    }
}
