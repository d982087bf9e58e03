package io.aviary.gateway.stream;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded pool that runs the blocking steps of client streams (SASL with its PBKDF2 and account lookups,
 * in-band registration, registry bind and unbind) off the event loops, each of which serves many connections.
 * Admission is bounded: with {@code threads + queue} steps running or waiting, a new one is refused and its stream
 * answers that the server is busy. A session's end (its unbind) is always taken: each session ends once, and
 * leaving it out would leave the session in the registry.
 */
public final class StreamWorkers implements AutoCloseable {

    private final ThreadPoolExecutor executor;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();

    public StreamWorkers(int threads, int queue) {
        this.capacity = threads + queue;
        AtomicInteger created = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "aviary-stream-worker-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Runs {@code step} on a worker unless the pool is full; false, without running it, when it is. */
    boolean tryExecute(Runnable step) {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    step.run();
                } finally {
                    admitted.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            admitted.decrementAndGet();
            return false;
        }
    }

    /** Runs {@code step} on a worker however busy the pool is, or here once the pool has been closed. */
    void execute(Runnable step) {
        try {
            executor.execute(step);
        } catch (RejectedExecutionException e) {
            step.run();
        }
    }

    /** Lets the steps already taken finish (for a few seconds), then stops the threads. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
