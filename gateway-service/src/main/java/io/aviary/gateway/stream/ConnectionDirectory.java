package io.aviary.gateway.stream;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bound sessions of this gateway by connection id, and the consumer of this gateway's
 * delivery topic that hands each delivery to its session.
 */
public final class ConnectionDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionDirectory.class);

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private StanzaBus.Subscription subscription;

    public void start(StanzaBus bus, String gatewayId) {
        subscription = bus.subscribe(Topics.gateway(gatewayId), "gateway-" + gatewayId, this::deliver);
    }

    void register(ClientSession session) {
        sessions.put(session.connectionId(), session);
    }

    void unregister(ClientSession session) {
        sessions.remove(session.connectionId(), session);
    }

    public Collection<ClientSession> sessions() {
        return List.copyOf(sessions.values());
    }

    private void deliver(BusMessage message) {
        ClientSession session = sessions.get(message.header(BusMessage.CONNECTION));
        if (session == null) {
            log.debug("delivery for a connection that is gone: {}", message.header(BusMessage.TARGET));
            return;
        }
        String control = message.header(BusMessage.CONTROL);
        if (BusMessage.CONTROL_CONFLICT.equals(control)) {
            session.replacedByNewSession();
        } else if (BusMessage.CONTROL_ACCOUNT_REMOVED.equals(control)) {
            session.accountRemoved();
        } else {
            session.deliver(message.stanza());
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
