package io.aviary.capability;

import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The named events capabilities exchange instead of calling into each other (style.md, "named events for
 * cross-capability effects"). Events stay in the process that emits them: a capability that listens runs where the
 * emitter runs (in a cluster, the state service that owns the account's partition).
 */
public final class Events {

    /** An account was removed (XEP-0077 cancellation, the operator command): drop what is kept for it. */
    public static final EventType<EntityBareJid> ACCOUNT_REMOVED = new EventType<>("account.removed", EntityBareJid.class);

    /**
     * A resource became available with a non-negative priority where before it was unavailable or negative, so it
     * now receives messages addressed to its bare JID (RFC 6121 §4.7.2.3, §8.5.2.1.1). Offline storage flushes on it
     * (XEP-0160 §4).
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

    private Events() {
    }
}
