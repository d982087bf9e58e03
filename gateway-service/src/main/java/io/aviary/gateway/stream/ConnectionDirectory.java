package io.aviary.gateway.stream;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.gateway.sm.StreamManagement;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open streams of this gateway, its bound sessions by connection id, and the consumer of this gateway's
 * delivery topic that hands each delivery to its session.
 */
public final class ConnectionDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectionDirectory.class);

    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Set<ClientSession> streams = ConcurrentHashMap.newKeySet();
    private StanzaBus.Subscription subscription;
    private StreamManagement streamManagement;

    /** Starts consuming; deliveries for connections whose resumable sessions outlived them go to {@code sm}. */
    public void start(StanzaBus bus, String gatewayId, StreamManagement sm) {
        this.streamManagement = sm;
        // A batch (a room's broadcast to several sessions here) is taken apart into the deliveries it stands for.
        subscription = bus.subscribe(Topics.gateway(gatewayId), "gateway-" + gatewayId,
                message -> message.unbatched().forEach(this::deliver));
    }

    void opened(ClientSession stream) {
        streams.add(stream);
    }

    void bound(ClientSession session) {
        sessions.put(session.connectionId(), session);
    }

    void closed(ClientSession stream) {
        streams.remove(stream);
        sessions.remove(stream.connectionId(), stream);
    }

    /** The streams with a bound resource: the ones deliveries can reach. */
    public Collection<ClientSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /** Every open stream, bound or still negotiating (TLS, SASL, registration, binding). */
    public Collection<ClientSession> streams() {
        return List.copyOf(streams);
    }

    private void deliver(BusMessage message) {
        String connection = message.header(BusMessage.CONNECTION);
        ClientSession session = sessions.get(connection);
        if (session == null && streamManagement != null && streamManagement.deliverToOrphan(connection, message)) {
            return;
        }
        if (session == null) {
            log.debug("delivery for a connection that is gone: {}", message.header(BusMessage.TARGET));
            return;
        }
        String control = message.header(BusMessage.CONTROL);
        if (BusMessage.CONTROL_CONFLICT.equals(control)) {
            session.replacedByNewSession();
        } else if (BusMessage.CONTROL_ACCOUNT_REMOVED.equals(control)) {
            session.accountRemoved(message.stanza());
        } else if (BusMessage.CONTROL_KICK.equals(control)) {
            session.endedByAdministrator();
        } else {
            session.deliver(message.stanza(), StreamManagement.position(message));
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
