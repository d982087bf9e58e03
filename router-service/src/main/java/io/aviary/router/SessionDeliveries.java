package io.aviary.router;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
        BusMessage.Delivery delivery = prepare(session, stanza);
        if (delivery != null) {
            bus.publish(Topics.gateway(session.gatewayId()), session.jid().asEntityBareJidString(),
                    new BusMessage(stanza, headers(delivery)));
        }
    }

    /**
     * The deliveries of one multicast ({@link BusMessage#RECIPIENTS}, a room's broadcast): those of one gateway whose
     * stanzas differ only in {@code to} travel as one {@link BusMessage#BATCH} record, keyed by {@code key} (the
     * sender, so one room's broadcasts keep their order on the gateway's topic); the others one by one.
     */
    void deliverAll(List<Route.Deliver> deliveries, String key) {
        Map<String, Map<XmlElement, List<BusMessage.Delivery>>> batches = new LinkedHashMap<>();
        for (Route.Deliver route : deliveries) {
            BusMessage.Delivery delivery = prepare(route.session(), route.stanza());
            if (delivery != null) {
                batches.computeIfAbsent(route.session().gatewayId(), gateway -> new LinkedHashMap<>())
                        .computeIfAbsent(route.stanza().withAttribute("to", null), stanza -> new ArrayList<>())
                        .add(delivery);
            }
        }
        batches.forEach((gateway, stanzas) -> stanzas.forEach((stanza, batch) -> bus.publish(Topics.gateway(gateway), key,
                batch.size() == 1 ? new BusMessage(stanza.withAttribute("to", batch.get(0).target()), headers(batch.get(0)))
                        : BusMessage.batch(stanza, batch))));
    }

    /** Queues a resumable session's delivery; null when there is nothing to publish (hibernated, or ended as full). */
    private BusMessage.Delivery prepare(SessionEntry session, XmlElement stanza) {
        String position = null;
        if (session.resumable()) {
            long appended = store.append(session.resumption(), stanza);
            if (appended == ResumptionStore.FULL) {
                expiredSessions.endOverflowed(session, stanza);
                return null;
            }
            // UNKNOWN: the store no longer has the session (it ended while this entry was read); deliver as without.
            if (appended != ResumptionStore.UNKNOWN) {
                if (session.hibernated()) {
                    return null;
                }
                position = Long.toString(appended);
            }
        }
        return new BusMessage.Delivery(session.jid().toString(), session.connectionId(), position);
    }

    private static Map<String, String> headers(BusMessage.Delivery delivery) {
        Map<String, String> headers = new HashMap<>(Map.of(
                BusMessage.TARGET, delivery.target(),
                BusMessage.CONNECTION, delivery.connection()));
        if (delivery.position() != null) {
            headers.put(BusMessage.POSITION, delivery.position());
        }
        return headers;
    }
}
