package io.aviary.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Which resources are bound on which gateway connection. Implementations: in-process for the
 * standalone app, Redis for a cluster; both must pass the same contract test.
 */
public interface SessionRegistry {

    /**
     * Records a bound resource. Returns the session it displaced, if that full JID was bound to
     * another connection; the caller ends that one with a {@code conflict} stream error.
     */
    Optional<SessionEntry> bind(SessionEntry entry);

    /** Removes the resource if it is still bound to the given connection; false otherwise. */
    boolean unbind(EntityFullJid jid, String connectionId);

    /** Updates priority and availability after a presence; ignored if the connection no longer owns the JID. */
    void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available);

    /** XEP-0280: the resource enabled or disabled carbons; ignored if the connection no longer owns the JID. */
    void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled);

    /**
     * XEP-0198: the session enabled resumable stream management with {@code resumptionId}; ignored if the
     * connection no longer owns the JID.
     */
    void markResumable(EntityFullJid jid, String connectionId, String resumptionId);

    /**
     * XEP-0198 §5: the session's connection is gone but the session may be resumed. The entry stays (the resource
     * stays available to its contacts) and is flagged hibernated. False if the connection no longer owns the JID.
     */
    boolean hibernate(EntityFullJid jid, String connectionId);

    /**
     * XEP-0198 resumption, possibly on another gateway: atomically moves the session bound to {@code jid} whose
     * resumption id is {@code resumptionId} to the given gateway connection and clears its hibernated flag (and
     * moves the JID between the gateways' session sets). Returns the entry as it was before the move, or empty
     * when no such session is bound (it ended, or another resumption took it).
     */
    Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId, String connectionId);

    /**
     * RFC 6121 §4.6.2: the session sent presence directly to {@code target} (not to its contacts): available
     * presence is recorded, unavailable presence forgets it; ignored if the connection no longer owns the JID. Kept
     * here, not in the gateway, so that the unavailable presence the targets are owed when the session ends
     * (§4.6.3) is still sent when the session outlives its connection (XEP-0198) or dies with its gateway.
     */
    void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available);

    /**
     * The targets that still have the session's directed available presence, forgotten at once: the caller sends
     * each the session's unavailable presence (RFC 6121 §4.6.3), as it is ending or went unavailable. Reads the
     * session's record whether or not a session is still bound, since the sweeps of dead gateways and expired
     * sessions unbind first.
     */
    Set<String> takeDirectedPresence(EntityFullJid jid);

    /*
     * The writes a client's own stanzas cause (its presence, a carbons switch, enabling resumption), answered later:
     * for a gateway's event loop, which serves many connections and must not wait for a remote registry. The
     * in-process registry answers at once (these defaults); a remote one completes on its own thread, so continue
     * elsewhere. A decorator must override them, or its callers would wait after all.
     */

    /** {@link #updatePresence}, answered later. */
    default CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                        boolean available) {
        return answered(() -> {
            updatePresence(jid, connectionId, priority, available);
            return null;
        });
    }

    /** {@link #updateCarbons}, answered later. */
    default CompletableFuture<Void> updateCarbonsLater(EntityFullJid jid, String connectionId, boolean enabled) {
        return answered(() -> {
            updateCarbons(jid, connectionId, enabled);
            return null;
        });
    }

    /** {@link #markResumable}, answered later. */
    default CompletableFuture<Void> markResumableLater(EntityFullJid jid, String connectionId, String resumptionId) {
        return answered(() -> {
            markResumable(jid, connectionId, resumptionId);
            return null;
        });
    }

    /** {@link #directedPresence}, answered later. */
    default CompletableFuture<Void> directedPresenceLater(EntityFullJid jid, String connectionId, String target,
                                                          boolean available) {
        return answered(() -> {
            directedPresence(jid, connectionId, target, available);
            return null;
        });
    }

    /** {@link #takeDirectedPresence}, answered later. */
    default CompletableFuture<Set<String>> takeDirectedPresenceLater(EntityFullJid jid) {
        return answered(() -> takeDirectedPresence(jid));
    }

    /** The answer of a call made here and now, or its failure, as a completed future. */
    private static <T> CompletableFuture<T> answered(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Optional<SessionEntry> session(EntityFullJid jid);

    /** All resources of an account, available or not. */
    List<SessionEntry> sessions(EntityBareJid account);

    /** Full JIDs bound through a gateway instance (design.md {@code gw:{id}:sessions}). */
    Set<EntityFullJid> sessionsOf(String gatewayId);

    /** The ids of the gateway instances that hold sessions or beat (design.md {@code gateways}): for the admin views. */
    Set<String> gateways();
}
