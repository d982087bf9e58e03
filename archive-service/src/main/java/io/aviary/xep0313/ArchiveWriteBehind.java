package io.aviary.xep0313;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archive records ({@code T}: each as the writer keeps it while it waits) written behind the bus, in batches of one
 * transaction each, by one thread (so each owner's records keep their order). Each write of the standalone app's
 * embedded store is a write to its log, so a batch of hundreds of records costs one system call where writing each
 * record would cost hundreds, and a batch in one PostgreSQL transaction waits for one commit where each record in its
 * own would wait for one each. What a record queued here loses with the process is up to the caller: the
 * {@link ArchiveWriter} holds each record on the bus until it is written.
 *
 * <p>Bounded: when {@code capacity} records wait, {@link #submit} blocks its caller, so a database that falls behind
 * slows the bus down instead of filling the heap.
 */
public final class ArchiveWriteBehind<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ArchiveWriteBehind.class);
    private static final int MAX_BATCH = 20_000;
    /**
     * How long a batch may gather records before it is written: long enough to make one log write of hundreds of
     * records at chat rates, short enough that a record is gone before the next young collection. At 500 ms (what an
     * embedded SQL database needed) nearly every record outlived one, and copying and promoting them took the chat's
     * collector pauses from 8 to 29 ms on average (docs/benchmarks.md, "Fifth round").
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BlockingQueue<T> queue;
    private final Consumer<List<T>> batches;
    private final AtomicLong submitted = new AtomicLong();
    private final Thread writer;
    private long written; // guarded by this
    private volatile boolean closed;
    /** Set by {@link #settle}: write what has gathered now instead of lingering. */
    private volatile boolean hurry;

    /** @param batches writes one batch (in one transaction); called on the writer thread only */
    public ArchiveWriteBehind(int capacity, Consumer<List<T>> batches) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batches = batches;
        this.writer = new Thread(this::run, "archive-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a record, blocking while the queue is full; false (and not queued) once the writer is closing. */
    public boolean submit(T record) throws InterruptedException {
        if (closed) {
            return false;
        }
        queue.put(record);
        submitted.incrementAndGet();
        return true;
    }

    /**
     * Waits (at most {@code max}) until every record submitted before this call is written: a query then sees every
     * message routed before it, as it would without the write-behind.
     */
    public synchronized void settle(Duration max) throws InterruptedException {
        long target = submitted.get();
        long deadline = System.nanoTime() + max.toNanos();
        hurry = true;
        LockSupport.unpark(writer);
        while (written < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                log.warn("archive writes still {} behind after {}", target - written, max);
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void run() {
        List<T> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                T first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                hurry = false;
                batches.accept(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("could not write {} archive records", batch.size(), e);
            } finally {
                synchronized (this) {
                    written += batch.size();
                    notifyAll();
                }
                batch.clear();
            }
        }
    }

    /**
     * Adds what arrives within the linger time (less when someone waits or the writer closes) to {@code batch}. Sleeps
     * between drains instead of waiting on the queue: a writer woken by every record costs each submitting thread a
     * wake-up call.
     */
    private void gather(List<T> batch) {
        long deadline = System.nanoTime() + LINGER_NANOS;
        queue.drainTo(batch, MAX_BATCH - batch.size());
        while (batch.size() < MAX_BATCH && !hurry && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(left);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    /** Writes what is queued (bounded wait), then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(writer);
        writer.join(Duration.ofSeconds(10).toMillis());
    }
}
