package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one service topic ({@link Topics#SERVICE}, {@link Topics#ARCHIVE}): dispatches IQ requests to the handler of their payload
 * namespace and publishes the replies for routing. RFC 6120 §8.4: an IQ nobody handles gets
 * {@code service-unavailable}. Presence and messages go to every {@link PresenceHandler} and
 * {@link MessageHandler}, which publish their own output. A stanza addressed to a hosted service's address (or a JID
 * at it) goes whole to that service's {@link ServiceHandler} and to nothing else. IQ results and errors are dropped, except those answering
 * an IQ a handler of this topic sent ({@link Topics#replyId}): every IQ handler sees those ({@link IqHandler#handleReply}).
 */
public final class ServerRequests implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerRequests.class);

    private final StanzaBus bus;
    private final String topic;
    private final String group;
    private final Map<String, IqHandler> handlers = new HashMap<>();
    private final List<PresenceHandler> presenceHandlers;
    private final List<MessageHandler> messageHandlers;
    private final Map<DomainBareJid, ServiceHandler> services;
    private StanzaBus.Subscription subscription;

    /** The consumer of {@code topic} in consumer group {@code group}, with the handlers of the capabilities on it. */
    public ServerRequests(StanzaBus bus, String topic, String group, CapabilityRegistry.Handlers handlers) {
        this(bus, topic, group, handlers.iq().values(), handlers.presence(), handlers.messages(), handlers.services());
    }

    /** The same with the handlers given one by one, and no hosted services. */
    public ServerRequests(StanzaBus bus, String topic, String group, Collection<IqHandler> handlers,
                          List<PresenceHandler> presenceHandlers, List<MessageHandler> messageHandlers) {
        this(bus, topic, group, handlers, presenceHandlers, messageHandlers, Map.of());
    }

    private ServerRequests(StanzaBus bus, String topic, String group, Collection<IqHandler> handlers,
                           List<PresenceHandler> presenceHandlers, List<MessageHandler> messageHandlers,
                           Map<DomainBareJid, ServiceHandler> services) {
        this.bus = bus;
        this.services = Map.copyOf(services);
        this.topic = topic;
        this.group = group;
        this.presenceHandlers = List.copyOf(presenceHandlers);
        this.messageHandlers = List.copyOf(messageHandlers);
        for (IqHandler handler : handlers) {
            if (this.handlers.putIfAbsent(handler.namespace(), handler) != null) {
                throw new IllegalArgumentException("two handlers for " + handler.namespace());
            }
        }
    }

    public void start() {
        subscription = bus.subscribe(topic, group, message -> handle(message));
    }

    private void handle(BusMessage message) {
        Stanza stanza = Stanza.of(message.stanza()).orElse(null);
        if (stanza == null) {
            return;
        }
        ServiceHandler service = services.isEmpty() ? null : serviceAt(stanza);
        if (service != null) {
            guarded(service, () -> service.handle(stanza, message));
            return;
        }
        if (stanza.isPresence()) {
            presenceHandlers.forEach(h -> guarded(h, () -> h.handlePresence(stanza)));
            return;
        }
        if (stanza.isMessage()) {
            messageHandlers.forEach(h -> guarded(h, () -> h.handleMessage(stanza, message)));
            return;
        }
        if (isReplyToThisTopic(stanza)) {
            handlers.values().forEach(h -> guarded(h, () -> h.handleReply(stanza)));
            return;
        }
        Stanza reply = reply(stanza);
        if (reply != null) {
            bus.publish(Topics.ROUTE, StanzaKeys.bareOf(reply.toAttribute()), BusMessage.of(reply.element()));
        }
    }

    private ServiceHandler serviceAt(Stanza stanza) {
        try {
            Jid to = stanza.to();
            return to == null ? null : services.get(to.asDomainBareJid());
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    /** A result or error to an IQ a handler here sent with {@link Topics#replyId} of this topic. */
    private boolean isReplyToThisTopic(Stanza iq) {
        return ("result".equals(iq.type()) || "error".equals(iq.type())) && topic.equals(Topics.replyTopic(iq.id()));
    }

    Stanza reply(Stanza iq) {
        if (!"get".equals(iq.type()) && !"set".equals(iq.type())) {
            return null;
        }
        IqHandler handler = iq.payload().map(p -> handlers.get(p.namespace())).orElse(null);
        if (handler == null) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        try {
            return handler.handle(iq);
        } catch (RuntimeException e) {
            log.error("{} handler failed on {}", handler.namespace(), iq.id(), e);
            return iq.errorReply(StanzaErrorCondition.INTERNAL_SERVER_ERROR);
        }
    }

    /** One failing handler must not keep the others from their share of the stanza. */
    private static void guarded(Object handler, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.error("{} failed", handler.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
