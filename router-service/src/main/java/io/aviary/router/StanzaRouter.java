package io.aviary.router;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.service.StanzaKeys;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@link Topics#ROUTE}, applies the {@link DeliveryRules} and publishes the outcome:
 * deliveries to the owning gateway's topic, server requests to {@link Topics#SERVICE}.
 */
public final class StanzaRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StanzaRouter.class);

    private final StanzaBus bus;
    private final DeliveryRules rules;
    private final Timer routingTime;
    private final MeterRegistry meters;
    private StanzaBus.Subscription subscription;

    public StanzaRouter(StanzaBus bus, DeliveryRules rules, MeterRegistry meters) {
        this.bus = bus;
        this.rules = rules;
        this.meters = meters;
        this.routingTime = Timer.builder("xmpp.routing")
                .description("Time to decide and publish the route of one stanza")
                .publishPercentileHistogram()
                .register(meters);
    }

    public void start() {
        subscription = bus.subscribe(Topics.ROUTE, "router", message -> routingTime.record(() -> route(message.stanza())));
    }

    void route(XmlElement element) {
        Stanza stanza = Stanza.of(element).orElse(null);
        if (stanza == null) {
            log.warn("not a stanza on {}: {}", Topics.ROUTE, element.name());
            return;
        }
        for (Route route : rules.route(stanza)) {
            meters.counter("xmpp.routes", "route", route.getClass().getSimpleName().toLowerCase()).increment();
            if (route instanceof Route.Deliver d) {
                bus.publish(Topics.gateway(d.session().gatewayId()), d.session().jid().asEntityBareJidString(),
                        new BusMessage(d.stanza(), Map.of(
                                BusMessage.TARGET, d.session().jid().toString(),
                                BusMessage.CONNECTION, d.session().connectionId())));
            } else if (route instanceof Route.ToService s) {
                bus.publish(Topics.SERVICE, StanzaKeys.bareOf(stanza.fromAttribute()), BusMessage.of(s.stanza()));
            } else if (route instanceof Route.Reply r) {
                route(r.stanza());
            } else if (route instanceof Route.Drop drop) {
                log.debug("dropped {} {}: {}", stanza.kind(), stanza.id(), drop.reason());
            }
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
