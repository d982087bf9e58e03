package io.aviary.presence;

import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The available resources of each account and their last presence: in memory in the standalone
 * app; a cluster keeps it next to the session registry in Redis ({@code redis.RedisPresenceStore}),
 * where every roster-service instance sees it.
 */
public interface PresenceStore {

    /** Records an available presence; returns the one it replaces, empty when the resource was unavailable. */
    Optional<ResourcePresence> available(ResourcePresence presence);

    /** Forgets the resource; returns its last available presence, empty when it was not available. */
    Optional<ResourcePresence> unavailable(EntityFullJid resource);

    /** The account's available resources. */
    List<ResourcePresence> resources(EntityBareJid account);
}
