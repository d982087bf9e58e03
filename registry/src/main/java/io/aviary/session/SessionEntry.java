package io.aviary.session;

import java.util.Objects;
import org.jxmpp.jid.EntityFullJid;

/**
 * One bound resource as the registry knows it (design.md, {@code sess:{bareJid}}).
 *
 * @param jid          the full JID bound to the session
 * @param gatewayId    the gateway instance holding the client connection
 * @param connectionId that gateway's id for the connection; a rebind of the same resource gets a new one
 * @param priority     priority of the last available presence (RFC 6121 §4.7.2.3), 0 before any
 * @param available    whether the resource has sent available presence (RFC 6121 §4.2)
 * @param carbons      whether the resource enabled XEP-0280 Message Carbons: the router copies the account's
 *                     one-to-one messages to it
 * @param resumption   the XEP-0198 resumption id when the session enabled resumable stream management, else null;
 *                     deliveries to it are appended to its {@code ResumptionStore} queue before they are published
 * @param hibernated   the session's connection is gone but it may still be resumed (XEP-0198 §5): it stays
 *                     available for routing and its deliveries are only queued
 */
public record SessionEntry(EntityFullJid jid, String gatewayId, String connectionId, int priority, boolean available,
        boolean carbons, String resumption, boolean hibernated) {

    public SessionEntry {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(connectionId, "connectionId");
    }

    public SessionEntry(EntityFullJid jid, String gatewayId, String connectionId, int priority, boolean available) {
        this(jid, gatewayId, connectionId, priority, available, false, null, false);
    }

    public static SessionEntry bound(EntityFullJid jid, String gatewayId, String connectionId) {
        return new SessionEntry(jid, gatewayId, connectionId, 0, false);
    }

    public SessionEntry withPresence(int newPriority, boolean nowAvailable) {
        return new SessionEntry(jid, gatewayId, connectionId, newPriority, nowAvailable, carbons, resumption, hibernated);
    }

    public SessionEntry withCarbons(boolean enabled) {
        return new SessionEntry(jid, gatewayId, connectionId, priority, available, enabled, resumption, hibernated);
    }

    public SessionEntry withResumption(String resumptionId) {
        return new SessionEntry(jid, gatewayId, connectionId, priority, available, carbons, resumptionId, hibernated);
    }

    public SessionEntry withHibernated(boolean nowHibernated) {
        return new SessionEntry(jid, gatewayId, connectionId, priority, available, carbons, resumption, nowHibernated);
    }

    /** The same session, now held by another gateway connection and no longer hibernated (XEP-0198 resumption). */
    public SessionEntry movedTo(String newGatewayId, String newConnectionId) {
        return new SessionEntry(jid, newGatewayId, newConnectionId, priority, available, carbons, resumption, false);
    }

    /** Whether deliveries to this session are queued for XEP-0198 resumption. */
    public boolean resumable() {
        return resumption != null;
    }

    public boolean sameConnection(SessionEntry other) {
        return gatewayId.equals(other.gatewayId) && connectionId.equals(other.connectionId);
    }
}
