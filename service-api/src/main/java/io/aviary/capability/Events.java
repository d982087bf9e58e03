package io.aviary.capability;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Set;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The named events capabilities exchange instead of calling into each other (style.md, "named events for
 * cross-capability effects"). Most stay in the process that emits them: a capability that listens runs where the
 * emitter runs (in a cluster, the state service that owns the account's partition). {@link #serverWide} events also
 * reach the listeners of every other service of a cluster, over the bus ({@link io.aviary.bus.Topics#EVENTS}).
 */
public final class Events {

    /**
     * An account was removed (XEP-0077 cancellation, the operator command): drop what is kept for it. Server-wide:
     * the archive and upload services keep things for accounts too.
     */
    public static final EventType<EntityBareJid> ACCOUNT_REMOVED = new EventType<>("account.removed", EntityBareJid.class);

    /**
     * A resource became available with a non-negative priority where before it was unavailable or negative, so it
     * now receives messages addressed to its bare JID (RFC 6121 §4.7.2.3, §8.5.2.1.1). Offline storage flushes on it
     * (XEP-0160 §4). Server-wide: the roster service emits it, and the admin service greets the resource with the
     * message of the day (XEP-0133); one record per login on the events topic.
     */
    public static final EventType<EntityFullJid> PRESENCE_AVAILABLE =
            new EventType<>("presence.available", EntityFullJid.class);

    /**
     * An available resource sent unavailable presence or lost its connection; repeats for a resource that is
     * already unavailable are not reported. Last activity records logouts on it (XEP-0012).
     */
    public static final EventType<ResourceUnavailable> PRESENCE_UNAVAILABLE =
            new EventType<>("presence.unavailable", ResourceUnavailable.class);

    /** The payload of {@link #PRESENCE_UNAVAILABLE}: the resource and the unavailable presence it sent. */
    public record ResourceUnavailable(EntityFullJid resource, XmlElement presence) {
    }

    /**
     * An account was registered with an invitation that names an inviter (XEP-0401, XEP-0445): the two become mutual
     * contacts. Server-wide: the gateway that registered the account emits it, the roster service acts on it.
     */
    public static final EventType<Invited> INVITATION_ACCEPTED = new EventType<>("invitation.accepted", Invited.class);

    /** The payload of {@link #INVITATION_ACCEPTED}. */
    public record Invited(EntityBareJid invitee, EntityBareJid inviter) {
    }

    /**
     * An owner destroyed a group chat room (XEP-0045 §10.9): what is kept for it elsewhere goes too. Server-wide: the
     * muc service emits it, the archive service removes the room's archive (XEP-0313).
     */
    public static final EventType<EntityBareJid> ROOM_DESTROYED = new EventType<>("room.destroyed", EntityBareJid.class);

    private static final Set<String> SERVER_WIDE = Set.of(ACCOUNT_REMOVED.name(), INVITATION_ACCEPTED.name(),
            ROOM_DESTROYED.name(), PRESENCE_AVAILABLE.name());

    /** Whether listeners in every process of a cluster hear {@code event}, not only those where it is emitted. */
    public static boolean serverWide(EventType<?> event) {
        return SERVER_WIDE.contains(event.name());
    }

    private Events() {
    }
}
