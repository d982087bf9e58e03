package io.aviary.gateway.sm;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stream-management streams of one gateway share: settings, the resumption store and the registry (both
 * shared by the cluster's gateways, so a session resumes on any of them), meters, a timer thread, and the
 * connections of this gateway whose sessions hibernated or ended while resumable.
 */
public final class StreamManagement implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamManagement.class);

    private final StreamManagementProperties properties;
    private final ResumptionStore store;
    private final SessionRegistry registry;
    private final StanzaBus bus;
    private final String gatewayId;
    private final SmMetrics metrics;
    private final UndeliveredMessages undelivered;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sm-timer");
        thread.setDaemon(true);
        return thread;
    });
    /** Connection id → resumption id of sessions whose connection here is gone, until their resumption time ends. */
    private final Map<String, Orphan> orphans = new ConcurrentHashMap<>();

    private record Orphan(String resumption, Instant until) {
    }

    public StreamManagement(StreamManagementProperties properties, ResumptionStore store, SessionRegistry registry,
                            StanzaBus bus, String gatewayId, SmMetrics metrics, UndeliveredMessages undelivered,
                            Clock clock) {
        this.properties = properties;
        this.undelivered = undelivered;
        this.store = store;
        this.registry = registry;
        this.bus = bus;
        this.gatewayId = gatewayId;
        this.metrics = metrics;
        this.clock = clock;
    }

    public StreamManagementProperties properties() {
        return properties;
    }

    public ResumptionStore store() {
        return store;
    }

    SessionRegistry registry() {
        return registry;
    }

    StanzaBus bus() {
        return bus;
    }

    String gatewayId() {
        return gatewayId;
    }

    SmMetrics metrics() {
        return metrics;
    }

    Instant now() {
        return clock.instant();
    }

    /** XEP-0198 §5: the SM-ID is unguessable, so that holding it is what a resumption proves (with the account). */
    String newResumptionId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("stream-management timer task failed", e);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The session that connection {@code connectionId} held stays in the store, resumable or ending, until {@code until}. */
    void orphaned(String connectionId, String resumption, Instant until) {
        Instant now = now();
        orphans.values().removeIf(o -> !o.until().isAfter(now));
        orphans.put(connectionId, new Orphan(resumption, until));
    }

    /**
     * A delivery for a connection of this gateway that is gone. If it held a resumable session, a delivery the router
     * did not queue (no {@link BusMessage#POSITION}: its registry view was stale) is queued now, so the resumed session
     * (or the reaper, which re-routes what a session leaves) still gets it. Returns false for any other connection.
     */
    public boolean deliverToOrphan(String connectionId, BusMessage message) {
        Orphan orphan = orphans.get(connectionId);
        if (orphan == null) {
            return false;
        }
        if (message.header(BusMessage.POSITION) == null && message.header(BusMessage.CONTROL) == null) {
            long position;
            try {
                position = store.append(orphan.resumption(), message.stanza());
            } catch (RuntimeException e) {
                log.warn("could not queue a delivery for the gone connection {}", connectionId, e);
                position = ResumptionStore.UNKNOWN;
            }
            if (position < 0) {
                // Not queued (the store failed, the session ended, or its queue is full): the router, given it again
                // as undeliverable, queues it, ends the full session, or finds another resource or offline storage.
                undelivered.handOver(message.stanza(), "orphan");
            }
        }
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The queued stanza of a delivery, parsed from its headers (0 when it has no position). */
    public static long position(BusMessage message) {
        String position = message.header(BusMessage.POSITION);
        if (position == null) {
            return 0;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
