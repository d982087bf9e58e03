package io.aviary.service;

import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityFullJid;

/**
 * Events of the presence capability, for capabilities that follow a resource's availability
 * without keeping their own copy of it.
 */
public interface PresenceListener {

    /**
     * The {@code presence.reachable} event: a resource has become available with a non-negative
     * priority where before it was unavailable or negative, so it now receives messages addressed to
     * its bare JID (RFC 6121 §4.7.2.3, §8.5.2.1.1). Offline storage flushes on it (XEP-0160 §4).
     */
    default void resourceReachable(EntityFullJid resource) {
    }

    /**
     * The {@code presence.unavailable} event: an available resource has sent unavailable presence
     * (or lost its connection); {@code presence} is that unavailable presence. Repeats for a resource
     * that is already unavailable are not reported. Last activity records logouts on it (XEP-0012).
     */
    default void resourceUnavailable(EntityFullJid resource, XmlElement presence) {
    }
}
