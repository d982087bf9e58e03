package io.aviary.service;

import org.jxmpp.jid.EntityFullJid;

/**
 * The {@code presence.reachable} event: a resource has become available with a non-negative
 * priority where before it was unavailable or negative, so it now receives messages addressed to
 * its bare JID (RFC 6121 §4.7.2.3, §8.5.2.1.1). Offline storage flushes on it (XEP-0160 §4).
 */
public interface PresenceListener {

    void resourceReachable(EntityFullJid resource);
}
