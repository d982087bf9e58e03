package io.aviary.session.redis;

import io.aviary.bus.StanzaBus;
import io.aviary.service.Outbox;
import io.aviary.session.SessionEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The session service's watch over gateways (design.md: when a gateway's liveness key expires,
 * "session-service removes that gateway's sessions and broadcasts unavailable presence for them"). Every
 * {@code sweep-interval} it sweeps; for each removed session it publishes the unavailable presence the
 * gateway would have sent (RFC 6121 §4.6: the server sends it on the user's behalf when a session ends
 * without one), so the presence service tells the contacts and forgets the resource.
 */
public final class DeadGatewayCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeadGatewayCleanup.class);

    private final DeadGatewaySweeper sweeper;
    private final Outbox outbox;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public DeadGatewayCleanup(DeadGatewaySweeper sweeper, StanzaBus bus, Duration interval) {
        this.sweeper = sweeper;
        this.outbox = new Outbox(bus);
        this.interval = interval;
    }

    /** One sweep now: the sessions it ended. */
    public List<SessionEntry> sweepOnce() {
        List<SessionEntry> removed = sweeper.sweep();
        removed.forEach(session -> outbox.sessionEnded(session.jid()));
        return removed;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "dead-gateway-cleanup");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweepOnce();
            } catch (RuntimeException e) {
                log.warn("sweeping dead gateways failed; trying again in {}", interval, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
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
