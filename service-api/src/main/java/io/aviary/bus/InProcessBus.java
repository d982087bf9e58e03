package io.aviary.bus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone bus: a fixed number of single-threaded lanes; a key always maps to the same lane,
 * which keeps per-key order the way a Kafka partition does.
 */
public final class InProcessBus implements StanzaBus, AutoCloseable {

    private volatile BusInterceptor interceptor = BusInterceptor.NONE;

    private static final Logger log = LoggerFactory.getLogger(InProcessBus.class);

    private final ExecutorService[] lanes;
    /** Each topic's registrations in the order they came; changed only in {@link #change}, with {@link #receivers}. */
    private final Map<String, List<Registration>> subscribers = new ConcurrentHashMap<>();
    /** Each topic's first registration of each group, which get its publications: worked out on a change. */
    private final Map<String, List<Registration>> receivers = new ConcurrentHashMap<>();

    public InProcessBus(int laneCount) {
        if (laneCount <= 0) {
            throw new IllegalArgumentException("laneCount must be positive");
        }
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
        lane.execute(() -> {
            for (Registration registration : registrations) {
                try {
                    registration.handler.accept(message);
                } catch (RuntimeException e) {
                    log.error("handler of {} (group {}) failed", topic, registration.group, e);
                }
            }
        });
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
