package io.aviary.gateway.sm;

import io.aviary.bus.BusMessage;
import io.aviary.session.SessionControl;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumptionState;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0198 §5 resumption on any gateway (sm-design.md, step 3): finds the session in the shared store, checks that
 * the authenticated account owns it, takes it for the new connection in the store and the registry, ends the old
 * connection if it is still open, and works out what to resend. Blocking (store and registry may be remote): runs on
 * the stream workers; {@link ManagedStream#complete} applies the outcome on the connection's thread.
 */
final class Resumption {

    /** What a {@code <resume/>} led to. */
    sealed interface Outcome permits Resumed, Failed, HandledCountTooHigh {
    }

    /**
     * The session is this connection's now.
     *
     * @param state       the store's state as claimed
     * @param clientH     the client's {@code h}: stanzas it received
     * @param lastHandled the position of the last stanza the client has (of the {@code clientH}-th)
     * @param resend      what the client has not received, in order
     */
    record Resumed(ResumptionState state, long clientH, long lastHandled, List<QueuedStanza> resend) implements Outcome {
    }

    /** {@code <failed/>} goes back; the stream may bind a new resource (XEP-0198 §5). */
    record Failed(XmlElement reply, String reason) implements Outcome {
    }

    /** XEP-0198 §4: the client claims more stanzas than were sent; the stream ends with a stream error. */
    record HandledCountTooHigh(long h, long sent) implements Outcome {
    }

    private final StreamManagement sm;

    Resumption(StreamManagement sm) {
        this.sm = sm;
    }

    Outcome attempt(EntityBareJid account, XmlElement resume, String connectionId) {
        String previd = resume.attributeOrNull("previd");
        long h = SmElements.counter(resume, "h");
        if (previd == null || previd.isEmpty() || h < 0) {
            // XEP-0198 §3 (schema): previd and h are required on <resume/>.
            return new Failed(SmElements.failed(StanzaErrorCondition.BAD_REQUEST, null), "bad-request");
        }
        Optional<ResumptionState> known = sm.store().state(previd);
        if (known.isEmpty() || !known.get().session().jid().asEntityBareJid().equals(account)) {
            // XEP-0198 §5: "If the server does not recognize the 'previd' as an earlier session (e.g., because the
            // former session has timed out), it MUST return a <failed/> element, which SHOULD include an error
            // condition of <item-not-found/>". Another account's id gets the same answer, so that it learns nothing.
            return notFound(null, known.isEmpty() ? "unknown" : "other-account");
        }
        ResumptionState state = known.get();
        if (state.hibernatedUntil() != null && !sm.now().isBefore(state.hibernatedUntil())) {
            // Timed out but not yet reaped: the server still knows its h, which §5 lets <failed/> carry, so the client
            // knows which of its own stanzas arrived.
            return notFound(state.inbound(), "expired");
        }
        long sendable = state.acknowledgedH() + sm.store().after(previd, state.acknowledgedAt()).size();
        if (h > sendable) {
            return new HandledCountTooHigh(h, sendable);
        }
        Optional<ResumptionState> claimed = sm.store().claim(previd, sm.gatewayId(), connectionId);
        if (claimed.isEmpty()) {
            return notFound(null, "expired");
        }
        state = claimed.get();
        Optional<SessionEntry> before = sm.registry().resume(state.session().jid(), previd, sm.gatewayId(), connectionId);
        if (before.isEmpty()) {
            // The session ended meanwhile (the reaper took it): let the store forget it as ended too.
            sm.store().hibernate(previd, connectionId, sm.now());
            return notFound(null, "ended");
        }
        if (!before.get().hibernated()) {
            replaceOldConnection(before.get());
        }
        List<QueuedStanza> queued = sm.store().after(previd, state.acknowledgedAt());
        // The client has the first (h - acknowledgedH) of them; those are acknowledged now, the rest resent.
        int received = (int) Math.max(0, Math.min(queued.size(), h - state.acknowledgedH()));
        long lastHandled = state.acknowledgedAt();
        if (received > 0) {
            lastHandled = queued.get(received - 1).position();
            sm.store().acknowledge(previd, h, lastHandled);
        }
        return new Resumed(state, h, lastHandled, List.copyOf(queued.subList(received, queued.size())));
    }

    private Failed notFound(Long h, String reason) {
        return new Failed(SmElements.failed(StanzaErrorCondition.ITEM_NOT_FOUND, h), reason);
    }

    /**
     * XEP-0198 §5: "If the former stream is resumed and the server still has the stream for the previously-identified
     * session open at this time, the old stream SHOULD be terminated." It ends with conflict, as a displaced binding
     * does; its session is no longer its own in the store or the registry, so its end leaves the session alone.
     */
    private void replaceOldConnection(SessionEntry old) {
        SessionControl.send(sm.bus(), old, XmlElement.empty("conflict", "jabber:client"), BusMessage.CONTROL_CONFLICT);
    }
}
