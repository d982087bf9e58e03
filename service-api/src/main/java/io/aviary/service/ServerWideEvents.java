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
import org.jxmpp.jid.EntityFullJid;
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
 * <p>On the bus an event is {@code <event xmlns='urn:aviary:event' name='account.removed' account='...'/>}, keyed by
 * that account: every server-wide event is about an account (or a room, for {@code room.destroyed}), an accepted
 * invitation names the inviter as {@code contact} too, and {@code presence.available} the account's resource as
 * {@code resource}.
 */
public final class ServerWideEvents implements EventSink, AutoCloseable {

    static final String NAMESPACE = "urn:aviary:event";
    static final String ORIGIN = "origin";
    private static final Logger log = LoggerFactory.getLogger(ServerWideEvents.class);
    private static final Map<String, EventType<?>> BY_NAME = Map.of(Events.ACCOUNT_REMOVED.name(),
            Events.ACCOUNT_REMOVED, Events.INVITATION_ACCEPTED.name(), Events.INVITATION_ACCEPTED,
            Events.ROOM_DESTROYED.name(), Events.ROOM_DESTROYED, Events.PRESENCE_AVAILABLE.name(),
            Events.PRESENCE_AVAILABLE);

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
        XmlElement.Builder element = XmlElement.builder("event", NAMESPACE).attribute("name", event.name());
        String account;
        if (payload instanceof EntityBareJid removed
                && (event.equals(Events.ACCOUNT_REMOVED) || event.equals(Events.ROOM_DESTROYED))) {
            account = removed.toString();
        } else if (payload instanceof EntityFullJid resource && event.equals(Events.PRESENCE_AVAILABLE)) {
            account = resource.asEntityBareJid().toString();
            element.attribute("resource", resource.toString());
        } else if (payload instanceof Events.Invited invited && event.equals(Events.INVITATION_ACCEPTED)) {
            account = invited.invitee().toString();
            element.attribute("contact", invited.inviter().toString());
        } else {
            throw new IllegalArgumentException("not a server-wide event about an account: " + event.name());
        }
        bus.publish(Topics.EVENTS, account, new BusMessage(element.attribute("account", account).build(),
                Map.of(ORIGIN, service)));
    }

    private void received(BusMessage message) {
        if (service.equals(message.header(ORIGIN)) || !message.stanza().is("event", NAMESPACE)) {
            return;
        }
        EventType<?> event = BY_NAME.get(message.stanza().attributeOrNull("name"));
        if (event == null) {
            log.warn("an unknown server-wide event: {}", message.stanza());
            return;
        }
        try {
            EntityBareJid account = JidCreate.entityBareFrom(message.stanza().attributeOrNull("account"));
            if (event.equals(Events.INVITATION_ACCEPTED)) {
                registry.emitHere(Events.INVITATION_ACCEPTED, new Events.Invited(account,
                        JidCreate.entityBareFrom(message.stanza().attributeOrNull("contact"))));
            } else if (event.equals(Events.ROOM_DESTROYED)) {
                registry.emitHere(Events.ROOM_DESTROYED, account);
            } else if (event.equals(Events.PRESENCE_AVAILABLE)) {
                EntityFullJid resource = JidCreate.entityFullFrom(message.stanza().attributeOrNull("resource"));
                if (!resource.asEntityBareJid().equals(account)) {
                    throw new IllegalArgumentException("a resource of another account");
                }
                registry.emitHere(Events.PRESENCE_AVAILABLE, resource);
            } else {
                registry.emitHere(Events.ACCOUNT_REMOVED, account);
            }
        } catch (XmppStringprepException | IllegalArgumentException | NullPointerException e) {
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
