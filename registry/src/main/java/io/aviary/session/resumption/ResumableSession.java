package io.aviary.session.resumption;

import java.time.Duration;
import java.util.Objects;
import org.jxmpp.jid.EntityFullJid;

/**
 * A session that enabled XEP-0198 resumption.
 *
 * @param id            the resumption id ({@code previd}), unguessable
 * @param jid           the session's full JID; only its account may resume it
 * @param gatewayId     the gateway that holds the connection
 * @param connectionId  that gateway's connection id
 * @param maxResumption how long the session stays resumable after its connection is gone (the {@code max} of
 *                      XEP-0198's {@code <enabled/>})
 * @param maxQueue      how many unacknowledged stanzas the queue may hold
 */
public record ResumableSession(String id, EntityFullJid jid, String gatewayId, String connectionId,
        Duration maxResumption, int maxQueue) {

    public ResumableSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(maxResumption, "maxResumption");
    }
}
