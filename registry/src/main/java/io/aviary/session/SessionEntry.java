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
 */
public record SessionEntry(EntityFullJid jid, String gatewayId, String connectionId, int priority, boolean available) {

    public SessionEntry {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(connectionId, "connectionId");
    }

    public static SessionEntry bound(EntityFullJid jid, String gatewayId, String connectionId) {
        return new SessionEntry(jid, gatewayId, connectionId, 0, false);
    }

    public SessionEntry withPresence(int newPriority, boolean nowAvailable) {
        return new SessionEntry(jid, gatewayId, connectionId, newPriority, nowAvailable);
    }

    public boolean sameConnection(SessionEntry other) {
        return gatewayId.equals(other.gatewayId) && connectionId.equals(other.connectionId);
    }
}
