package io.aviary.roster;

import java.util.Set;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * An account's "interested resources" (RFC 6121 §2.1.6): those that requested the roster in this session
 * and so get roster pushes. In memory in the standalone app; a cluster keeps it in Redis next to the
 * session registry, since any roster-service instance may handle the account's next request.
 */
public interface RosterInterest {

    /** {@code resource} requested the roster. */
    void interested(EntityFullJid resource);

    /** {@code resource} went unavailable; it must request the roster again to get pushes. */
    void notInterested(EntityFullJid resource);

    /** The interested resources of {@code account}. */
    Set<EntityFullJid> resources(EntityBareJid account);
}
