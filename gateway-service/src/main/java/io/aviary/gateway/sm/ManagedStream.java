package io.aviary.gateway.sm;

import io.aviary.session.resumption.QueuedStanza;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0198 Stream Management of one client stream: enabling, acks both ways, the delivery path of sm-design.md
 * (sequencer, then the downstream steps, then the writer, with {@link #written}/{@link #discarded} accounting),
 * resumption, hibernation, and the dead-connection probe. Without {@code <enable/>} it only passes stanzas to the
 * writer and probes. Everything here runs on the connection's thread unless said otherwise.
 *
 * <p>Counting: {@code outbound} counts stanzas written since {@code <enable/>} (the client's {@code h}),
 * {@code inbound} stanzas handled from the client (the server's {@code h}). The position of each unacknowledged
 * written stanza is kept, so that an {@code <a h/>} can tell the store which queue entry it covers.
 */
public final class ManagedStream {

    private static final Logger log = LoggerFactory.getLogger(ManagedStream.class);
    /** How long deliveries to a session that ended with its stream are still queued for the reaper to re-route. */
    private static final Duration ENDING_GRACE = Duration.ofMinutes(1);
    /** After a resumption, a router with a stale view may still have queued for the old connection (sm-design.md). */
    private static final List<Duration> CATCH_UPS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(3));

    private final StreamManagement sm;
    private final StreamHost host;
    private final Sequencer sequencer;
    private final SilenceProbe probe;
    private final Resumption resumption;
    private Downstream downstream;
    private boolean enabled;
    /** The resumption id when the session is resumable, else null. */
    private String id;
    private Duration max;
    private long inbound;
    private long outbound;
    private long acked;
    private final ArrayDeque<Long> unackedPositions = new ArrayDeque<>();
    private int sinceRequest;
    private boolean requestOutstanding;
    private boolean urgentRequestSent;
    /** The session ends with the stream (clean close, stream error) rather than hibernating. */
    private boolean ending;
    private String pingId;
    private long pings;

    public ManagedStream(StreamManagement sm, StreamHost host) {
        this.sm = sm;
        this.host = host;
        this.downstream = writer();
        this.sequencer = new Sequencer((position, stanza) -> downstream.accept(position, stanza), this::fetchGap);
        this.probe = new SilenceProbe(sm, host.transport(), this::sendProbe, this::silent);
        this.resumption = new Resumption(sm);
    }

    /** The last step of the delivery path: counts the stanza and writes it, with an ack request when one is due. */
    public Downstream writer() {
        return (position, stanza) -> {
            AfterWrite next = count(position);
            host.writeStanza(stanza, next == AfterWrite.REQUEST_ACK ? SmElements.request() : null);
            if (next == AfterWrite.OVERFLOW) {
                overflow();
            }
        };
    }

    /** What follows a stanza's write: nothing, an ack request written with it, or the end of an unacking stream. */
    private enum AfterWrite { NOTHING, REQUEST_ACK, OVERFLOW }

    /** Puts {@code step} (XEP-0352's filter, which ends in {@link #writer()}) between the sequencer and the writer. */
    public void downstream(Downstream step) {
        this.downstream = step;
    }

    /** Whether {@code <sm/>} is offered on this stream: configured on, and not BOSH. */
    public boolean offered() {
        return sm.properties().enabled() && host.transport().supportsStreamManagement();
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether the session survives its connection (XEP-0198 §5). */
    public boolean resumable() {
        return id != null;
    }

    // ---- the delivery path -------------------------------------------------------------------------------------

    /**
     * A stanza for the client: a routed delivery with its queue {@code position} (0 when the router queued nothing),
     * or the gateway's own answer (position 0). A resumable session's stanzas all get a position: what the router did
     * not queue is queued here first (sm-design.md, step 2), without waiting for the store on the connection's thread
     * (a slow Redis would hold up every connection of the event loop); the sequencer puts it in its place when the
     * store has answered.
     */
    public void deliver(XmlElement stanza, long position) {
        if (id != null && position <= 0) {
            queueThenOffer(stanza);
            return;
        }
        sequencer.offer(id == null ? 0 : position, stanza);
    }

    private void queueThenOffer(XmlElement stanza) {
        String queuedFor = id;
        CompletableFuture<Long> appended;
        try {
            appended = sm.store().appendLater(queuedFor, stanza);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        // The in-process store answers at once: then in place, as before; Redis answers on its own thread.
        boolean answered = appended.isDone();
        appended.whenComplete((position, failure) -> {
            if (answered) {
                queued(queuedFor, stanza, position, failure);
            } else {
                host.transport().execute(() -> queued(queuedFor, stanza, position, failure));
            }
        });
    }

    private void queued(String queuedFor, XmlElement stanza, Long position, Throwable failure) {
        if (failure != null) {
            // Written without a place in the queue rather than lost: only a resumption would miss it.
            log.warn("could not queue a stanza for {}: {}", host.jid(), failure.toString());
            sequencer.offer(0, stanza);
        } else if (position == ResumptionStore.FULL) {
            overflow();
        } else if (position == ResumptionStore.UNKNOWN) {
            if (queuedFor.equals(id)) {
                // The store lost the session (it cannot be resumed any more): keep acking without resumption.
                log.warn("resumption state of {} is gone; the session is no longer resumable", host.jid());
                id = null;
            }
            sequencer.offer(0, stanza);
        } else {
            sequencer.offer(position, stanza);
        }
    }

    /** Counts the stanza at {@code position}, about to be written to the client, and says what must follow it. */
    private AfterWrite count(long position) {
        if (!enabled) {
            return AfterWrite.NOTHING;
        }
        outbound++;
        unackedPositions.addLast(position);
        sm.metrics().unacked(1);
        long unacked = outbound - acked;
        if (unacked > sm.properties().maxQueue()) {
            return AfterWrite.OVERFLOW;
        }
        sinceRequest++;
        boolean urgent = unacked > sm.properties().maxQueue() / 2 && !urgentRequestSent;
        if (urgent || !requestOutstanding && sinceRequest >= sm.properties().ackRequestEvery()) {
            requestOutstanding = true;
            urgentRequestSent |= urgent;
            sinceRequest = 0;
            return AfterWrite.REQUEST_ACK;
        }
        return AfterWrite.NOTHING;
    }

    /** The stanza at {@code position} will never be written (XEP-0352): the store forgets it, the count stays true. */
    public void discarded(long position) {
        if (id != null && position > 0) {
            sm.store().discard(id, position);
        }
    }

    /**
     * The client never acknowledges: its queue passed {@code max-queue}. As Prosody's mod_smacks, the stream ends with
     * {@code resource-constraint} (RFC 6120 §4.9.3.17, "the server lacks the system resources necessary to service
     * the stream") and the session ends with it.
     */
    private void overflow() {
        host.fail(new StreamError(StreamErrorCondition.RESOURCE_CONSTRAINT, "Too many unacknowledged stanzas"), null);
    }

    private void fetchGap(long after) {
        String current = id;
        if (current == null) {
            sequencer.fill(after, List.of());
            return;
        }
        sm.schedule(() -> {
            List<QueuedStanza> queued = sm.store().after(current, after);
            host.transport().execute(() -> sequencer.fill(after, queued));
        }, Duration.ofMillis(Sequencer.GAP_WAIT_MILLIS));
    }

    // ---- input ---------------------------------------------------------------------------------------------------

    /** Input arrived: the connection is alive. Any thread. */
    public void heard() {
        probe.heard();
    }

    /** A stanza from the client was handled (its {@code h}, XEP-0198 §4). */
    public void handled() {
        if (enabled) {
            inbound++;
            if (id != null) {
                sm.store().handled(id, inbound);
            }
        }
    }

    /** Whether {@code element} belongs to stream management ({@code urn:xmpp:sm:3}). */
    public static boolean isNonza(XmlElement element) {
        return SmElements.NAMESPACE.equals(element.namespace());
    }

    /**
     * Handles {@code <enable/>}, {@code <r/>} and {@code <a/>} on a stream that offered stream management, and
     * {@code <resume/>} where it cannot be (not authenticated yet, or already bound). False for what the caller must
     * handle: everything when not offered, {@code <resume/>} on an authenticated stream, and {@code <r/>} or
     * {@code <a/>} before {@code <enable/>}.
     */
    public boolean nonza(XmlElement element, boolean authenticated) {
        if (!offered() || !isNonza(element)) {
            return false;
        }
        switch (element.name()) {
            case "enable" -> writeNonza(enable(element));
            case "resume" -> {
                if (authenticated && host.jid() == null && !enabled) {
                    return false;
                }
                // XEP-0198 §5: resumption takes the place of binding, after authentication.
                writeNonza(SmElements.failed(StanzaErrorCondition.UNEXPECTED_REQUEST, null));
                sm.metrics().resumeFailed(authenticated ? "after-bind" : "before-auth");
            }
            case "r" -> {
                if (!enabled) {
                    return false;
                }
                writeNonza(SmElements.ack(inbound));
            }
            case "a" -> {
                if (!enabled) {
                    return false;
                }
                acknowledged(SmElements.counter(element, "h"));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Enables stream management on a bound stream and returns the reply, {@code <enabled/>} or {@code <failed/>}
     * (for SASL2/Bind2 inline enabling, XEP-0386: the caller puts the reply where that XEP says). Before binding, or a
     * second time, the answer is {@code <failed><unexpected-request/></failed>}: XEP-0198 §3, "The server SHALL
     * enforce this order and return a <failed/> element in response if the order is not followed", and "a client
     * SHALL only make at most one attempt to enable stream management" (answered as Prosody does, without ending the
     * stream). Call on the connection's thread, which does not wait for the store and the registry: their writes are
     * sent before anything this session sends them later, so the session's first appends find it open.
     */
    public XmlElement enable(XmlElement enable) {
        EntityFullJid jid = host.jid();
        if (jid == null || enabled) {
            return SmElements.failed(StanzaErrorCondition.UNEXPECTED_REQUEST, null);
        }
        enabled = true;
        inbound = 0;
        outbound = 0;
        acked = 0;
        String resume = enable.attributeOrNull("resume");
        if (!"true".equals(resume) && !"1".equals(resume)) {
            return SmElements.enabled(null, null);
        }
        long requested = SmElements.counter(enable, "max");
        max = sm.properties().resumptionFor(requested > 0 ? Duration.ofSeconds(requested) : null);
        id = sm.newResumptionId();
        // The store holds twice the unacknowledged stanzas a connected client may leave: a connected stream ends with
        // resource-constraint at max-queue (count()), so the store's own bound only stops a hibernated session.
        sm.store().openLater(new ResumableSession(id, jid, sm.gatewayId(), host.connectionId(), max,
                2 * sm.properties().maxQueue()))
                .whenComplete(warnIfFailed("could not open the resumption state of {}: it cannot be resumed", jid));
        // The registry's entry names the session to the routers, which then append to it: sent after the open above,
        // on the same Redis connection (RedisResumptionStore and RedisSessionRegistry share the registry's template).
        sm.registry().markResumableLater(jid, host.connectionId(), id)
                .whenComplete(warnIfFailed("could not mark {} resumable in the registry", jid));
        sequencer.startAfter(0);
        return SmElements.enabled(id, max);
    }

    /** For a write not waited for: its failure is only logged ({@code message} names {@code jid}). */
    private static <T> BiConsumer<T, Throwable> warnIfFailed(String message, EntityFullJid jid) {
        return (result, failure) -> {
            if (failure != null) {
                log.warn(message, jid, failure);
            }
        };
    }

    /**
     * XEP-0198 §4: the client has handled {@code h} stanzas. More than were sent is answered as §4 says: "an
     * undefined-condition stream error that includes a <handled-count-too-high/> element". (Counters are kept
     * as longs; the XEP's wrap at 2^32 is never reached by one session here.)
     */
    private void acknowledged(long h) {
        if (h < 0) {
            return;
        }
        if (h > outbound) {
            host.fail(new StreamError(StreamErrorCondition.UNDEFINED_CONDITION),
                    SmElements.handledCountTooHigh(h, outbound));
            return;
        }
        requestOutstanding = false;
        if (h <= acked) {
            return;
        }
        long position = 0;
        for (long n = acked; n < h; n++) {
            position = unackedPositions.removeFirst();
        }
        sm.metrics().unacked(acked - h);
        acked = h;
        urgentRequestSent = false;
        if (id != null && position > 0) {
            sm.store().acknowledge(id, h, position);
        }
    }

    // ---- resumption ----------------------------------------------------------------------------------------------

    /**
     * The blocking half of a resumption (XEP-0198 §5) for {@code account}, which authenticated on this stream: call it
     * on the stream workers, then {@link #completeResume} on the connection's thread. For SASL2 inline resumption too.
     */
    public ResumeAttempt attemptResume(EntityBareJid account, XmlElement resume) {
        return new ResumeAttempt(resumption.attempt(account, resume, host.connectionId()));
    }

    /** The outcome of {@link #attemptResume}, opaque to callers. */
    public record ResumeAttempt(Resumption.Outcome outcome) {

        /** Whether the attempt found the session to resume (it may still fail if the stream ends meanwhile). */
        public boolean resumes() {
            return outcome instanceof Resumption.Resumed;
        }
    }

    /**
     * What a resumption answers.
     *
     * @param reply      {@code <resumed/>} or {@code <failed/>}, to write (or, with SASL2, to put in
     *                   {@code <success/>}); null when the stream has ended (handled-count-too-high)
     * @param afterReply run right after the reply is written: resends what the client lacks and goes on
     */
    public record ResumeReply(XmlElement reply, Runnable afterReply) {
    }

    /**
     * Applies a resumption's outcome to this stream (connection's thread). On success the stream is bound to the
     * resumed session ({@link StreamHost#resumed}), the reply is {@code <resumed previd h/>} with the server's
     * {@code h}, and {@code afterReply} resends, in order, the queued stanzas the client's {@code h} does not
     * cover, then fetches the queue again after about 1 and 3 seconds in case a router still queued for the old
     * connection. A failure's reply is {@code <failed/>}; the stream may still bind (XEP-0198 §5).
     */
    public ResumeReply completeResume(ResumeAttempt attempt) {
        if (attempt.outcome() instanceof Resumption.Failed failed) {
            sm.metrics().resumeFailed(failed.reason());
            return new ResumeReply(failed.reply(), () -> { });
        }
        if (attempt.outcome() instanceof Resumption.HandledCountTooHigh tooHigh) {
            sm.metrics().resumeFailed("handled-count-too-high");
            host.fail(new StreamError(StreamErrorCondition.UNDEFINED_CONDITION),
                    SmElements.handledCountTooHigh(tooHigh.h(), tooHigh.sent()));
            return new ResumeReply(null, () -> { });
        }
        return resumed((Resumption.Resumed) attempt.outcome());
    }

    private ResumeReply resumed(Resumption.Resumed resumed) {
        ResumableSession session = resumed.state().session();
        enabled = true;
        id = session.id();
        max = session.maxResumption();
        inbound = resumed.state().inbound();
        outbound = resumed.clientH();
        acked = outbound;
        unackedPositions.clear();
        sequencer.startAfter(resumed.lastHandled());
        host.resumed(session.jid());
        sm.metrics().resumed(sm.gatewayId().equals(resumed.state().previousGateway()));
        String resumedId = id;
        return new ResumeReply(SmElements.resumed(resumedId, inbound), () -> {
            for (QueuedStanza q : resumed.resend()) {
                sequencer.offer(q.position(), q.stanza());
            }
            for (Duration delay : CATCH_UPS) {
                sm.schedule(() -> {
                    List<QueuedStanza> queued = sm.store().after(resumedId, resumed.lastHandled());
                    host.transport().execute(() -> {
                        if (resumedId.equals(id) && host.jid() != null) {
                            queued.forEach(q -> sequencer.offer(q.position(), q.stanza()));
                        }
                    });
                }, delay);
            }
        });
    }

    // ---- the end of a stream ---------------------------------------------------------------------------------------

    /** The stream is bound (or resumed): start probing it when it falls silent. */
    public void bound() {
        probe.start();
    }

    /** The session ends with this stream (clean close, stream error): no hibernation. */
    public void sessionEnds() {
        ending = true;
    }

    /**
     * The stream is over. A resumable session outlives it (XEP-0198 §7: "If the stream is not cleanly closed then
     * the server SHOULD consider the stream to be unfinished ... and SHOULD maintain the session on behalf of the
     * client for a limited amount of time"): when the connection was lost it hibernates for its resumption time,
     * staying available and queueing what arrives (sm-design.md, step 4); when the session ended with the stream its
     * state expires at once and the reaper ends it, re-routing what the client never acknowledged. Either way the
     * caller neither unbinds nor announces unavailability: returns true. False for other streams.
     */
    public boolean outlive(EntityFullJid bound, Executor workers) {
        probe.stop();
        sm.metrics().unacked(acked - outbound);
        acked = outbound;
        String session = id;
        if (session == null || bound == null) {
            return false;
        }
        String connection = host.connectionId();
        Instant now = sm.now();
        boolean hibernate = !ending;
        Instant until = hibernate ? now.plus(max) : now;
        sm.orphaned(connection, session, hibernate ? until : now.plus(ENDING_GRACE));
        workers.execute(() -> {
            if (sm.store().hibernate(session, connection, until) && hibernate) {
                sm.registry().hibernate(bound, connection);
                sm.metrics().hibernated();
            }
        });
        return true;
    }

    /** No input for the idle timeout, or no answer to a probe: the connection is taken for lost. */
    public void silent() {
        if (id != null) {
            host.connectionLost();
        } else {
            host.fail(new StreamError(StreamErrorCondition.CONNECTION_TIMEOUT), null);
        }
    }

    /** XEP-0198 §4 {@code <r/>} on a stream-management stream, else a XEP-0199 ping (RFC 6120 §4.6.1). */
    private void sendProbe() {
        EntityFullJid jid = host.jid();
        if (jid == null) {
            return;
        }
        if (enabled) {
            writeNonza(SmElements.request());
            return;
        }
        pingId = "aviary-probe-" + (++pings);
        host.writeStanza(XmlElement.builder("iq", "jabber:client").attribute("type", "get").attribute("id", pingId)
                .attribute("from", jid.getDomain().toString()).attribute("to", jid.toString())
                .child(XmlElement.empty("ping", "urn:xmpp:ping")).build(), null);
    }

    /** Whether {@code stanza} answers the last probe ping: it is the gateway's own and goes no further. */
    public boolean answersProbe(XmlElement stanza) {
        String type = stanza.attributeOrNull("type");
        return pingId != null && stanza.is("iq", "jabber:client") && pingId.equals(stanza.attributeOrNull("id"))
                && ("result".equals(type) || "error".equals(type));
    }

    private void writeNonza(XmlElement element) {
        host.transport().write(XmlWriter.write(element, null));
    }
}
