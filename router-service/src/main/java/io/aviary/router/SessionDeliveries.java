package io.aviary.router;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.session.SessionEntry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a {@link Route.Deliver} to the session's gateway. A XEP-0198 resumable session's deliveries are queued in
 * the {@link ResumptionStore} first and carry their position, so the gateway writes them in order and any gateway can
 * resend them after a resumption; a hibernated session's are only queued. A session whose queue is full has stopped
 * acknowledging and is ended as if its resumption time were over.
 *
 * <p>The router does not wait for the store on its partition loop: a one-to-one delivery's append is sent and the
 * loop goes on, holding its record ({@link StanzaBus#hold}) until the delivery is published from one thread of its
 * own, in the order the appends were answered (the order they were sent). A store that answers at once (the
 * in-memory one) is followed on the caller's thread.
 */
public final class SessionDeliveries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionDeliveries.class);

    private final StanzaBus bus;
    private final ResumptionStore store;
    private final ExpiredSessions expiredSessions;
    private final UndeliveredMessages undelivered;
    /** Deliveries to a connected resumable session written without a position, because the store did not answer. */
    private final Counter unqueued;
    private final ExecutorService continuations = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resumable-deliveries");
        thread.setDaemon(true);
        return thread;
    });
    /** Deliveries waiting for their append; while any waits, later ones wait behind it, so none overtakes another. */
    private final AtomicInteger waiting = new AtomicInteger();

    public SessionDeliveries(StanzaBus bus, ResumptionStore store, ExpiredSessions expiredSessions,
                             UndeliveredMessages undelivered, MeterRegistry meters) {
        this.bus = bus;
        this.store = store;
        this.expiredSessions = expiredSessions;
        this.undelivered = undelivered;
        this.unqueued = meters.counter("xmpp.sm.deliveries.unqueued");
    }

    void deliver(SessionEntry session, XmlElement stanza) {
        if (!session.resumable()) {
            publish(session, stanza, new BusMessage.Delivery(session.jid().toString(), session.connectionId(), null));
            return;
        }
        CompletableFuture<Long> appended = store.appendLater(session.resumption(), stanza);
        if (appended.isDone() && !appended.isCompletedExceptionally() && waiting.get() == 0) {
            appended(session, stanza, appended.join());
            return;
        }
        Optional<StanzaBus.Hold> hold = bus.hold();
        waiting.incrementAndGet();
        appended.whenCompleteAsync((position, failure) -> {
            try {
                Runnable publish = failure == null ? () -> appended(session, stanza, position)
                        : () -> notQueued(session, stanza, failure);
                hold.ifPresentOrElse(held -> held.within(publish), publish);
            } finally {
                waiting.decrementAndGet();
                hold.ifPresent(StanzaBus.Hold::release);
            }
        }, continuations);
    }

    /**
     * The store did not answer the append: Redis away for longer than its asynchronous time-out (a Redis that is only
     * slow answers late, with the position, since a command that timed out may still have run), or too many commands
     * waiting for it. A connected session gets the stanza without a position: its gateway queues it before writing it,
     * but if that gateway dies first, the dead gateway's topic hands it over as undeliverable, to be queued after what
     * followed it ({@code xmpp.sm.deliveries.unqueued} counts these). A hibernated session's stanza would go to a
     * topic that no connection of it reads (its gateway may be gone for good), so it is handed over as undeliverable
     * instead: a message goes to the account again, which queues it once the store answers, or finds another resource
     * or offline storage once the session has ended; an IQ request is answered with an error.
     */
    private void notQueued(SessionEntry session, XmlElement stanza, Throwable failure) {
        if (session.hibernated()) {
            log.warn("could not queue a delivery to hibernated {}; handing it over as undeliverable", session.jid(),
                    failure);
            undelivered.handOver(stanza, "resumption-store-failure");
        } else {
            log.warn("could not queue a delivery to {} for resumption; delivering it without", session.jid(), failure);
            unqueued.increment();
            publish(session, stanza, new BusMessage.Delivery(session.jid().toString(), session.connectionId(), null));
        }
    }

    private void appended(SessionEntry session, XmlElement stanza, long position) {
        BusMessage.Delivery delivery = delivery(session, stanza, position);
        if (delivery != null) {
            publish(session, stanza, delivery);
        }
    }

    private void publish(SessionEntry session, XmlElement stanza, BusMessage.Delivery delivery) {
        bus.publish(Topics.gateway(session.gatewayId()), session.jid().asEntityBareJidString(),
                new BusMessage(stanza, headers(delivery)));
    }

    /**
     * The deliveries of one multicast ({@link BusMessage#RECIPIENTS}, a room's broadcast): those of one gateway whose
     * stanzas differ only in {@code to} travel as one {@link BusMessage#BATCH} record, keyed by {@code key} (the
     * sender, so one room's broadcasts keep their order on the gateway's topic); the others one by one. Appends are
     * waited for here (a gateway's sequencer puts a broadcast and a one-to-one delivery that cross back in order).
     */
    void deliverAll(List<Route.Deliver> deliveries, String key) {
        Map<String, Map<XmlElement, List<BusMessage.Delivery>>> batches = new LinkedHashMap<>();
        for (Route.Deliver route : deliveries) {
            SessionEntry session = route.session();
            long position = session.resumable() ? store.append(session.resumption(), route.stanza()) : 0;
            BusMessage.Delivery delivery = delivery(session, route.stanza(), position);
            if (delivery != null) {
                batches.computeIfAbsent(session.gatewayId(), gateway -> new LinkedHashMap<>())
                        .computeIfAbsent(route.stanza().withAttribute("to", null), stanza -> new ArrayList<>())
                        .add(delivery);
            }
        }
        batches.forEach((gateway, stanzas) -> stanzas.forEach((stanza, batch) -> bus.publish(Topics.gateway(gateway), key,
                batch.size() == 1 ? new BusMessage(stanza.withAttribute("to", batch.get(0).target()), headers(batch.get(0)))
                        : BusMessage.batch(stanza, batch))));
    }

    /**
     * What to publish once a resumable session's delivery was queued at {@code position} (0 when the session is not
     * resumable); null when there is nothing to publish (hibernated, or ended as full).
     */
    private BusMessage.Delivery delivery(SessionEntry session, XmlElement stanza, long position) {
        if (position == ResumptionStore.FULL) {
            expiredSessions.endOverflowed(session, stanza);
            return null;
        }
        // UNKNOWN: the store no longer has the session (it ended while this entry was read); deliver as without.
        boolean queued = position > 0;
        if (queued && session.hibernated()) {
            return null;
        }
        return new BusMessage.Delivery(session.jid().toString(), session.connectionId(),
                queued ? Long.toString(position) : null);
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

    /** Lets the deliveries that wait for their append go out, for a bounded time. */
    @Override
    public void close() throws InterruptedException {
        continuations.shutdown();
        continuations.awaitTermination(5, TimeUnit.SECONDS);
    }
}
