package io.aviary.router;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.router.archive.ServiceTopics;
import io.aviary.service.StanzaFilter;
import io.aviary.service.StanzaKeys;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link Topics#ROUTE}, applies the {@link DeliveryRules} and publishes the outcome:
 * deliveries to the owning gateway's topic, server requests to the topic of the service that answers them
 * ({@link ServiceTopics}: {@link Topics#SERVICE} or {@link Topics#ARCHIVE}), archive records to {@link Topics#ARCHIVE}.
 */
public final class StanzaRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StanzaRouter.class);

    private final StanzaBus bus;
    private final DeliveryRules rules;
    private final Timer routingTime;
    private final MeterRegistry meters;
    private final List<StanzaFilter> filters;
    private final SessionDeliveries deliveries;
    private final ServiceTopics serviceTopics;
    private StanzaBus.Subscription subscription;

    /** With {@link StanzaFilter}s consulted, in order, before the delivery rules (for example XEP-0191 blocking). */
    public StanzaRouter(StanzaBus bus, DeliveryRules rules, MeterRegistry meters, List<StanzaFilter> filters,
                        SessionDeliveries deliveries, ServiceTopics serviceTopics) {
        this.bus = bus;
        this.serviceTopics = serviceTopics;
        this.rules = rules;
        this.deliveries = deliveries;
        this.meters = meters;
        this.filters = List.copyOf(filters);
        this.routingTime = Timer.builder("xmpp.routing")
                .description("Time to decide and publish the route of one stanza")
                .publishPercentileHistogram()
                .register(meters);
    }

    public void start() {
        subscription = bus.subscribe(Topics.ROUTE, "router", message -> routingTime.record(() -> {
            String recipients = message.header(BusMessage.RECIPIENTS);
            if (recipients != null) {
                multicast(message.stanza(), recipients);
            } else {
                route(message.stanza(), message.header(BusMessage.PUBLICATION), null);
            }
        }));
    }

    void route(XmlElement element) {
        route(element, null, null);
    }

    /**
     * A service's stanza to several addresses ({@link BusMessage#RECIPIENTS}: a room's broadcast): each copy is routed
     * as if it had been sent alone (filters, rules, errors), and the deliveries are then batched per gateway, keyed by
     * the sender so that everything one room sends one occupant stays on one lane.
     */
    void multicast(XmlElement element, String recipients) {
        List<Route.Deliver> collected = new ArrayList<>();
        for (String recipient : recipients.split("\n")) {
            if (!recipient.isEmpty()) {
                route(element.withAttribute("to", recipient), null, collected);
            }
        }
        if (!collected.isEmpty()) {
            deliveries.deliverAll(collected, StanzaKeys.bareOf(element.attributeOrNull("from")));
        }
    }

    /**
     * @param publication the bus's id of the routed record (null: none), from which archive ids derive
     * @param collected   where a multicast collects its deliveries to publish them together; null: publish each
     */
    private void route(XmlElement element, String publication, List<Route.Deliver> collected) {
        Stanza stanza = Stanza.of(element).orElse(null);
        if (stanza == null) {
            log.warn("not a stanza on {}: {}", Topics.ROUTE, element.name());
            return;
        }
        for (StanzaFilter filter : filters) {
            StanzaFilter.Verdict verdict = filter.check(stanza);
            if (verdict instanceof StanzaFilter.Drop drop) {
                log.debug("filtered {} {}: {}", stanza.kind(), stanza.id(), drop.reason());
                return;
            }
            if (verdict instanceof StanzaFilter.Reply reply) {
                // The filter's own answer is not filtered again: a blocked-contact error to the
                // user comes "from" the contact the user blocked (XEP-0191, "User Blocks Contact" example).
                Stanza.of(reply.stanza()).ifPresent(answer -> applyRules(answer, null, null));
                return;
            }
        }
        applyRules(stanza, publication, collected);
    }

    private void applyRules(Stanza stanza, String publication, List<Route.Deliver> collected) {
        for (Route route : rules.route(stanza, publication)) {
            meters.counter("xmpp.routes", "route", route.getClass().getSimpleName().toLowerCase()).increment();
            if (route instanceof Route.Deliver d && collected != null) {
                collected.add(d);
            } else if (route instanceof Route.Deliver d) {
                deliveries.deliver(d.session(), d.stanza());
            } else if (route instanceof Route.ToService s) {
                // Keyed like the route topic (design.md): a message stored for an account and that
                // account's own requests (such as cancelling it) share one lane, so they stay in order.
                bus.publish(serviceTopic(s), StanzaKeys.routeKey(stanza), BusMessage.of(s.stanza()));
            } else if (route instanceof Route.ToRemote r) {
                // One remote domain, one key: its outgoing stream has one owner, which sends in routing order.
                bus.publish(Topics.S2S, r.domain(), BusMessage.of(r.stanza()));
            } else if (route instanceof Route.Archive a) {
                archive(a.record());
            } else if (route instanceof Route.Reply r) {
                route(r.stanza());
            } else if (route instanceof Route.Drop drop) {
                log.debug("dropped {} {}: {}", stanza.kind(), stanza.id(), drop.reason());
            }
        }
        // Last: publications get ids by position (KafkaStanzaBus), so the deliveries' ids do not depend on watchers.
        copyToWatchers(stanza);
    }

    /** Copies of presence to an account for the topics of the capabilities that watch it (XEP-0163 PEP). */
    private void copyToWatchers(Stanza stanza) {
        Set<String> watchers = serviceTopics.presenceWatchers();
        if (!watchers.isEmpty() && rules.isPresenceToAccount(stanza)) {
            String key = StanzaKeys.routeKey(stanza);
            watchers.forEach(topic -> bus.publish(topic, key, BusMessage.of(stanza.element())));
        }
    }

    private String serviceTopic(Route.ToService route) {
        return Stanza.of(route.stanza()).map(serviceTopics::topicOf).orElse(Topics.SERVICE);
    }

    /** Keyed by the owner: one user's archive is written in the order the router handled the messages. */
    private void archive(ArchiveRecord record) {
        bus.publish(Topics.ARCHIVE, record.owner(), record.toBusMessage());
        meters.counter("xmpp.archive.records", "direction",
                record.kept() ? record.direction().name().toLowerCase() : "push-only").increment();
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
