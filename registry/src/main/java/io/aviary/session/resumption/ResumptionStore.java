package io.aviary.session.resumption;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a XEP-0198 stream-management session keeps outside the gateway that holds its connection, so that a client
 * can resume on any gateway, including after its gateway died (design.md, "Sessions that outlive a gateway").
 *
 * <p>Each session has a queue of the stanzas for its client. Everything the server writes to the client after
 * enabling stream management is appended here first: the router appends deliveries, the gateway appends what it
 * answers itself. Each appended stanza gets a position, increasing by one per append in that session. The gateway
 * writes stanzas to the client in position order, so the client's count of received stanzas ({@code h}) counts
 * queue entries: after an acknowledgement at ({@code h}, position), the client's {@code h + k} is the k-th entry
 * still queued after that position. A stanza the gateway chooses never to write (XEP-0352: a presence superseded
 * while held back) is {@linkplain #discard discarded} before any later stanza is written, so the count stays
 * true.
 *
 * <p>Implementations: in memory (standalone) and Redis (cluster); both pass the same contract test.
 */
public interface ResumptionStore {

    /** Starts the state of a session that enabled resumption; {@code id} is unguessable (the {@code previd}). */
    void open(ResumableSession session);

    /**
     * {@link #open}, answered later, for a gateway's event loop. What this process sends the store after the call
     * (the session's appends) runs after it. Completes on the store's own thread: continue elsewhere.
     */
    default CompletableFuture<Void> openLater(ResumableSession session) {
        open(session);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Queues a stanza for the session's client. Returns its position (1 for the first), or {@link #UNKNOWN} when the
     * session is not (or no longer) in the store, or {@link #FULL} when its queue already holds its maximum.
     */
    long append(String id, XmlElement stanza);

    /**
     * {@link #append}, answered later, for a caller that must not wait for the store: a router's partition loop.
     * Appends of one caller keep their call order. Completes on the store's own thread: continue elsewhere.
     */
    default CompletableFuture<Long> appendLater(String id, XmlElement stanza) {
        return CompletableFuture.completedFuture(append(id, stanza));
    }

    long UNKNOWN = -1;
    long FULL = -2;

    /** The stanzas still queued after {@code position}, in order (empty when none or unknown). */
    List<QueuedStanza> after(String id, long position);

    /**
     * The client acknowledged {@code h} stanzas (XEP-0198 §4), the last of which is the one at {@code position}:
     * drops it and everything before it, and records ({@code h}, {@code position}) for resumption. May be applied
     * asynchronously; a late acknowledgement of fewer stanzas than one already recorded changes nothing.
     */
    void acknowledge(String id, long h, long position);

    /**
     * Drops one stanza that will never be written (see the class comment). May be applied asynchronously, after
     * everything this process sent the store before and before anything it sends later.
     */
    void discard(String id, long position);

    /**
     * The server has handled {@code inbound} stanzas from the client (the {@code h} the server reports on
     * resumption). May be applied asynchronously; the count only moves forward.
     */
    void handled(String id, long inbound);

    /** The session's state, empty when unknown (never opened, ended, or expired and reaped). */
    Optional<ResumptionState> state(String id);

    /**
     * The session's connection is gone: it stays resumable until {@code until}, after which {@link #expired} hands it
     * to the clean-up. False when the session is unknown or held by another connection than {@code connectionId}.
     */
    boolean hibernate(String id, String connectionId, Instant until);

    /**
     * Takes the session for a new connection (XEP-0198 §5 resumption): succeeds once per hibernation or live
     * connection (a resumption may also take a session whose old connection has not noticed it is gone yet), and
     * records the new holder. Empty when the session is unknown or expired.
     */
    Optional<ResumptionState> claim(String id, String gatewayId, String connectionId);

    /**
     * Up to {@code max} sessions whose hibernation ended before {@code now}, each handed out once across every
     * instance that calls this; the caller ends them and then {@linkplain #close closes} them.
     */
    List<ResumptionState> expired(Instant now, int max);

    /** Forgets the session and its queue. */
    void close(String id);
}
