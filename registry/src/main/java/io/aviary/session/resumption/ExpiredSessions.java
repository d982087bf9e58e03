package io.aviary.session.resumption;

import io.aviary.bus.StanzaBus;
import io.aviary.service.Outbox;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a XEP-0198 session that will not be resumed (its resumption time ended, or its queue overflowed) so that
 * nothing it held is lost: unbinds it, re-routes its unacknowledged messages ({@link UndeliveredMessages}), sends
 * the unavailable presence its contacts and the targets of its directed presence are owed (RFC 6121 §4.6) and forgets its state. The registry entry is
 * removed first, so the re-routed messages find another resource or offline storage instead of the session.
 */
public final class ExpiredSessions {

    private static final Logger log = LoggerFactory.getLogger(ExpiredSessions.class);

    private final SessionRegistry registry;
    private final ResumptionStore store;
    private final UndeliveredMessages undelivered;
    private final Outbox outbox;
    private final MeterRegistry meters;

    public ExpiredSessions(SessionRegistry registry, ResumptionStore store, StanzaBus bus, MeterRegistry meters,
                           Clock clock) {
        this.registry = registry;
        this.store = store;
        this.undelivered = new UndeliveredMessages(bus, meters, clock);
        this.outbox = new Outbox(bus);
        this.meters = meters;
    }

    /** Ends a session handed out by {@link ResumptionStore#expired}. */
    public void end(ResumptionState state) {
        end(state, "expired");
    }

    /**
     * A delivery found the session's queue full ({@link ResumptionStore#FULL}): the client stopped acknowledging, so
     * the session ends as on expiry, and {@code stanza}, which did not fit, is re-routed after its queue.
     */
    public void endOverflowed(SessionEntry session, XmlElement stanza) {
        Optional<ResumptionState> state = store.state(session.resumption());
        state.ifPresent(s -> end(s, "overflow"));
        undelivered.reroute(stanza, "overflow");
    }

    private void end(ResumptionState state, String reason) {
        EntityFullJid jid = state.session().jid();
        // Only the session this state belongs to: the resource may have been bound anew without resumption since.
        Optional<SessionEntry> current = registry.session(jid).filter(entry -> state.id().equals(entry.resumption()));
        current.ifPresent(entry -> registry.unbind(jid, entry.connectionId()));
        int rerouted = 0;
        for (QueuedStanza queued : store.after(state.id(), state.acknowledgedAt())) {
            if (undelivered.reroute(queued.stanza(), "resumable-session-end")) {
                rerouted++;
            }
        }
        if (current.isPresent()) {
            outbox.sessionEnded(jid);
            outbox.directedPresenceEnded(jid, registry.takeDirectedPresence(jid));
        }
        store.close(state.id());
        meters.counter("xmpp.sm.sessions.ended", "reason", reason).increment();
        log.debug("ended unresumed session {} of {} ({}); re-routed {} messages", state.id(), jid, reason, rerouted);
    }
}
