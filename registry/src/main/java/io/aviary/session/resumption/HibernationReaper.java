package io.aviary.session.resumption;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Ends the XEP-0198 sessions whose resumption time is over (design step 5): every {@code reap-interval} it takes
 * what {@link ResumptionStore#expired} hands out and {@link ExpiredSessions#end ends} each. Runs in the standalone
 * app and in every session service; the store hands each expired session to one of them.
 */
public final class HibernationReaper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HibernationReaper.class);

    private final ResumptionStore store;
    private final ExpiredSessions sessions;
    private final Duration interval;
    private final int batch;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    public HibernationReaper(ResumptionStore store, ExpiredSessions sessions, ResumptionProperties properties,
                             Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.interval = properties.reapInterval();
        this.batch = properties.reapBatch();
        this.clock = clock;
    }

    /** Ends the sessions expired by now, batch by batch; how many. */
    public int reapOnce() {
        int ended = 0;
        List<ResumptionState> expired;
        do {
            expired = store.expired(clock.instant(), batch);
            for (ResumptionState state : expired) {
                try {
                    sessions.end(state);
                    ended++;
                } catch (RuntimeException e) {
                    log.warn("ending expired session {} of {} failed", state.id(), state.session().jid(), e);
                }
            }
        } while (expired.size() == batch);
        return ended;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "hibernation-reaper");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                reapOnce();
            } catch (RuntimeException e) {
                log.warn("reaping expired stream-management sessions failed; trying again in {}", interval, e);
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
