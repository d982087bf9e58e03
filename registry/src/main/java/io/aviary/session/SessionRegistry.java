package io.aviary.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    Optional<SessionEntry> session(EntityFullJid jid);

    /** All resources of an account, available or not. */
    List<SessionEntry> sessions(EntityBareJid account);

    /** Full JIDs bound through a gateway instance (design.md {@code gw:{id}:sessions}). */
    Set<EntityFullJid> sessionsOf(String gatewayId);
}
