package io.aviary.session.resumption;

import io.aviary.session.PeriodicTask;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the XEP-0198 sessions whose resumption time is over (design step 5): every {@code reap-interval} it takes
 * what {@link ResumptionStore#expired} hands out and {@link ExpiredSessions#end ends} each. Runs in the standalone
 * app and in every session service; the store hands each expired session to one of them.
 */
public final class HibernationReaper extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(HibernationReaper.class);

    private final ResumptionStore store;
    private final ExpiredSessions sessions;
    private final int batch;
    private final Clock clock;

    public HibernationReaper(ResumptionStore store, ExpiredSessions sessions, ResumptionProperties properties,
                             Clock clock) {
        super("hibernation-reaper", properties.reapInterval());
        this.store = store;
        this.sessions = sessions;
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
    protected void runOnce() {
        reapOnce();
    }
}
