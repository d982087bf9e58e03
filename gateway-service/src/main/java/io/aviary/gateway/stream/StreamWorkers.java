package io.aviary.gateway.stream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded pool that runs the blocking steps of client streams (SASL with its PBKDF2 and account lookups,
 * in-band registration, registry bind and unbind) off the event loops, each of which serves many connections.
 * Admission is bounded: with {@code threads + queue} steps running or waiting, a new one is refused and its stream
 * answers that the server is busy. A session's end (its unbind) is always taken: each session ends once, and
 * leaving it out would leave the session in the registry.
 *
 * <p>Its meters show a login storm's backlog: {@code xmpp.stream.workers.admitted} (steps running or waiting, against
 * {@code xmpp.stream.workers.capacity}), {@code xmpp.stream.workers.refused}, and Micrometer's {@code executor.*}
 * figures of the pool (queued, active, completed) tagged {@code name=xmpp.stream.workers}.
 */
public final class StreamWorkers implements AutoCloseable, MeterBinder {

    private static final String NAME = "xmpp.stream.workers";

    private final ThreadPoolExecutor executor;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

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
            refused.incrementAndGet();
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
            refused.incrementAndGet();
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

    @Override
    public void bindTo(MeterRegistry registry) {
        new ExecutorServiceMetrics(executor, NAME, List.of()).bindTo(registry);
        Gauge.builder(NAME + ".admitted", admitted, AtomicInteger::get)
                .description("stream steps running or waiting for a worker (logins, registrations, binds)")
                .register(registry);
        Gauge.builder(NAME + ".capacity", () -> capacity)
                .description("stream steps the workers take before refusing more").register(registry);
        FunctionCounter.builder(NAME + ".refused", refused, AtomicLong::get)
                .description("stream steps refused because the workers were full (the stream was told the server is busy)")
                .register(registry);
    }

    /** Lets the steps already taken finish (for a few seconds), then stops the threads. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
