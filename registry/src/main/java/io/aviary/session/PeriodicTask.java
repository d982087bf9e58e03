package io.aviary.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link #runOnce} every {@code interval} on a daemon thread of its own while the application runs: the
 * registry's clean-ups (dead gateways, expired stream-management sessions). A run that fails is logged and the next
 * one tries again.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    protected PeriodicTask(String name, Duration interval) {
        this.name = name;
        this.interval = interval;
    }

    /** One run, on the task's thread. */
    protected abstract void runOnce();

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("{} failed; trying again in {}", name, interval, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} once on this task's thread after {@code delay}; at once when the task is not running. */
    protected synchronized void later(Runnable task, Duration delay) {
        if (scheduler == null) {
            task.run();
        } else {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
