package io.aviary.router;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.XmlElement;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands a {@link Route.Deliver} to the session's gateway. A XEP-0198 resumable session's deliveries are queued in
 * the {@link ResumptionStore} first and carry their position, so the gateway writes them in order and any gateway can
 * resend them after a resumption; a hibernated session's are only queued. A session whose queue is full has stopped
 * acknowledging and is ended as if its resumption time were over.
 */
public final class SessionDeliveries {

    private final StanzaBus bus;
    private final ResumptionStore store;
    private final ExpiredSessions expiredSessions;

    public SessionDeliveries(StanzaBus bus, ResumptionStore store, ExpiredSessions expiredSessions) {
        this.bus = bus;
        this.store = store;
        this.expiredSessions = expiredSessions;
    }

    void deliver(SessionEntry session, XmlElement stanza) {
        Map<String, String> headers = new HashMap<>(Map.of(
                BusMessage.TARGET, session.jid().toString(),
                BusMessage.CONNECTION, session.connectionId()));
        if (session.resumable()) {
            long position = store.append(session.resumption(), stanza);
            if (position == ResumptionStore.FULL) {
                expiredSessions.endOverflowed(session, stanza);
                return;
            }
            // UNKNOWN: the store no longer has the session (it ended while this entry was read); deliver as without.
            if (position != ResumptionStore.UNKNOWN) {
                if (session.hibernated()) {
                    return;
                }
                headers.put(BusMessage.POSITION, Long.toString(position));
            }
        }
        bus.publish(Topics.gateway(session.gatewayId()), session.jid().asEntityBareJidString(),
                new BusMessage(stanza, headers));
    }
}
