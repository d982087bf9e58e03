package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.EventSink;
import io.aviary.capability.EventType;
import io.aviary.capability.Events;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Map;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Events#serverWide server-wide} events between the services of a cluster: what this process emits
 * is published on {@link Topics#EVENTS}, and what another service published is told to this process's listeners.
 * Each service reads the topic with a consumer group of its own ({@code events-<service>}), so one instance of each
 * service hears each event; the instances of the emitting service skip it, having heard it when it was emitted.
 * A service none of whose capabilities listens to a server-wide event does not read the topic.
 *
 * <p>On the bus an event is {@code <event xmlns='urn:aviary:event' name='account.removed' account='...'/>}: every
 * server-wide event is about an account.
 */
public final class ServerWideEvents implements EventSink, AutoCloseable {

    static final String NAMESPACE = "urn:aviary:event";
    static final String ORIGIN = "origin";
    private static final Logger log = LoggerFactory.getLogger(ServerWideEvents.class);
    private static final Map<String, EventType<EntityBareJid>> BY_NAME =
            Map.of(Events.ACCOUNT_REMOVED.name(), Events.ACCOUNT_REMOVED);

    private final StanzaBus bus;
    private final CapabilityRegistry registry;
    private final String service;
    private StanzaBus.Subscription subscription;

    /** @param service this process's service ({@code spring.application.name}, such as {@code aviary-archive}) */
    public ServerWideEvents(StanzaBus bus, CapabilityRegistry registry, String service) {
        this.bus = bus;
        this.registry = registry;
        this.service = service;
    }

    public void start() {
        registry.relayTo(this);
        if (BY_NAME.values().stream().anyMatch(registry::listensTo)) {
            subscription = bus.subscribe(Topics.EVENTS, "events-" + service, this::received);
        }
    }

    @Override
    public <T> void emit(EventType<T> event, T payload) {
        if (!(payload instanceof EntityBareJid account) || !BY_NAME.containsKey(event.name())) {
            throw new IllegalArgumentException("not a server-wide event about an account: " + event.name());
        }
        XmlElement element = XmlElement.builder("event", NAMESPACE).attribute("name", event.name())
                .attribute("account", account.toString()).build();
        bus.publish(Topics.EVENTS, account.toString(), new BusMessage(element, Map.of(ORIGIN, service)));
    }

    private void received(BusMessage message) {
        if (service.equals(message.header(ORIGIN)) || !message.stanza().is("event", NAMESPACE)) {
            return;
        }
        EventType<EntityBareJid> event = BY_NAME.get(message.stanza().attributeOrNull("name"));
        if (event == null) {
            log.warn("an unknown server-wide event: {}", message.stanza());
            return;
        }
        try {
            registry.emitHere(event, JidCreate.entityBareFrom(message.stanza().attributeOrNull("account")));
        } catch (XmppStringprepException | IllegalArgumentException e) {
            log.warn("a server-wide event about no account: {}", message.stanza());
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
