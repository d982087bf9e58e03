package io.aviary.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone bus: a fixed number of single-threaded lanes; a key always maps to the same lane,
 * which keeps per-key order the way a Kafka partition does. Publishing never blocks (a lane publishes to other lanes,
 * which could wait for each other); past {@code maxBacklog} messages not yet handled the bus is {@link #congested}
 * until half of them are, and the gateways stop reading meanwhile. A handler that fails on a store that may answer if
 * asked again is given the message again ({@link HandlerRetries}), the messages behind it in its lane waiting, as the
 * Kafka bus does with a record.
 */
public final class InProcessBus implements StanzaBus, AutoCloseable {

    private volatile BusInterceptor interceptor = BusInterceptor.NONE;

    private static final Logger log = LoggerFactory.getLogger(InProcessBus.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long IDLE_POLL_MILLIS = 10;

    private final ExecutorService[] lanes;
    private final int maxBacklog;
    private final HandlerRetries retries;
    private final AtomicInteger backlog = new AtomicInteger();
    private volatile boolean congested;
    private final AtomicLong congestions = new AtomicLong();
    private volatile long lastWarned = System.nanoTime() - WARN_EVERY_NANOS;
    private final Queue<Runnable> drained = new ConcurrentLinkedQueue<>();
    /** Each topic's registrations in the order they came; changed only in {@link #change}, with {@link #receivers}. */
    private final Map<String, List<Registration>> subscribers = new ConcurrentHashMap<>();
    /** Each topic's first registration of each group, which get its publications: worked out on a change. */
    private final Map<String, List<Registration>> receivers = new ConcurrentHashMap<>();

    /** A bus that is never congested: its backlog is bounded by its callers (tests). */
    public InProcessBus(int laneCount) {
        this(laneCount, 0);
    }

    /** @param maxBacklog messages published and not yet handled beyond which the bus is congested; 0: no bound */
    public InProcessBus(int laneCount, int maxBacklog) {
        this(laneCount, maxBacklog, HandlerRetries.NONE);
    }

    /** @param retries when and how often a handler that failed is given the message again */
    public InProcessBus(int laneCount, int maxBacklog, HandlerRetries retries) {
        if (laneCount <= 0) {
            throw new IllegalArgumentException("laneCount must be positive");
        }
        if (maxBacklog < 0) {
            throw new IllegalArgumentException("maxBacklog must not be negative");
        }
        this.maxBacklog = maxBacklog;
        this.retries = retries;
        AtomicInteger counter = new AtomicInteger();
        lanes = new ExecutorService[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bus-lane-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Override
    public void publish(String topic, String key, BusMessage published) {
        BusMessage message = interceptor.onPublish(topic, key, published);
        List<Registration> registrations = receivers.getOrDefault(topic, List.of());
        if (registrations.isEmpty()) {
            log.debug("no subscriber on {}; dropped a {}", topic, message.stanza().name());
            return;
        }
        ExecutorService lane = lanes[Math.floorMod(key == null ? 0 : key.hashCode(), lanes.length)];
        if (backlog.incrementAndGet() >= maxBacklog && maxBacklog > 0 && !congested) {
            congested = true;
            congestions.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarned > WARN_EVERY_NANOS) { // an overload comes back many times a second
                lastWarned = now;
                log.warn("the bus holds {} messages not yet handled: clients are not read from until it is half empty",
                        maxBacklog);
            }
            drainedIfBelowHalf(); // the lanes may have drained it before the flag was up
        }
        try {
            lane.execute(() -> {
                try {
                    for (Registration registration : registrations) {
                        handle(topic, registration, message);
                    }
                } finally {
                    backlog.decrementAndGet();
                    if (congested) {
                        drainedIfBelowHalf();
                    }
                }
            });
        } catch (RuntimeException e) {
            backlog.decrementAndGet(); // refused: the bus is closing
            throw e;
        }
    }

    /**
     * Hands {@code message} to one group's handler, again after a failure that {@link #retries} takes for transient.
     * What the handler published before it failed is published again with the next attempt (at least once, as on
     * Kafka); a failure that is not transient, the last one, or a stop during the wait is logged and the message
     * left, as before.
     */
    private void handle(String topic, Registration registration, BusMessage message) {
        for (int attempt = 0; ; attempt++) {
            try {
                registration.handler.accept(message);
                return;
            } catch (RuntimeException e) {
                if (attempt >= retries.times() || !retries.transientFailure().test(e)) {
                    log.error("handler of {} (group {}) failed", topic, registration.group, e);
                    return;
                }
                log.warn("handler of {} (group {}) failed ({}); handling the message again", topic, registration.group,
                        e.toString());
                try {
                    Thread.sleep(retries.backoff().toMillis() << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    log.error("handler of {} (group {}) failed, and the bus stopped before it was given the message "
                            + "again", topic, registration.group, e);
                    return;
                }
            }
        }
    }

    /** Messages published and not yet handled. */
    public int backlog() {
        return backlog.get();
    }

    /**
     * Waits, at most {@code max}, until every message published so far has been handled, with what its handlers
     * published in turn; false at the time limit or when interrupted.
     */
    public boolean awaitIdle(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (backlog.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(IDLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** How many times the backlog reached its bound. */
    public long congestions() {
        return congestions.get();
    }

    @Override
    public boolean congested() {
        return congested;
    }

    @Override
    public void whenDrained(Runnable task) {
        drained.add(task);
        if (!congested) {
            runDrained();
        }
    }

    private void drainedIfBelowHalf() {
        if (backlog.get() <= maxBacklog / 2) {
            congested = false;
            runDrained();
        }
    }

    private void runDrained() {
        for (Runnable task = drained.poll(); task != null; task = drained.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("a task waiting for the bus to drain failed", e);
            }
        }
    }

    private static List<Registration> firstPerGroup(List<Registration> registrations) {
        Map<String, Registration> byGroup = new java.util.LinkedHashMap<>();
        for (Registration registration : registrations) {
            byGroup.putIfAbsent(registration.group, registration);
        }
        return List.copyOf(byGroup.values());
    }

    @Override
    public Subscription subscribe(String topic, String group, Consumer<BusMessage> handler) {
        Registration registration = new Registration(group, interceptor.onSubscribe(topic, group, handler));
        change(topic, registrations -> registrations.add(registration));
        return () -> change(topic, registrations -> registrations.remove(registration));
    }

    private void change(String topic, Consumer<List<Registration>> change) {
        subscribers.compute(topic, (t, before) -> {
            List<Registration> after = before == null ? new ArrayList<>() : new ArrayList<>(before);
            change.accept(after);
            receivers.put(t, firstPerGroup(after));
            return List.copyOf(after);
        });
    }

    @Override
    public boolean redelivers() {
        return false;
    }

    @Override
    public boolean spansProcesses() {
        return false;
    }

    @Override
    public void intercept(BusInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    @Override
    public void close() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Registration(String group, Consumer<BusMessage> handler) {
    }
}
