package io.aviary.cluster.e2e;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/**
 * A Smack client with XEP-0198 stream management and resumption, as phone clients use it: when its connection breaks
 * it connects again at once (through the same address, here a {@link SwitchingProxy}) and logs in, which resumes the
 * session when the server allows it. It records every message body it gets and whether each reconnection resumed.
 */
final class ResumingClient {

    private final XMPPTCPConnection connection;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicInteger reboundInstead = new AtomicInteger();
    private volatile long lastResumedAt;

    private ResumingClient(XMPPTCPConnection connection) {
        this.connection = connection;
    }

    static ResumingClient login(String user, String password, int port) throws Exception {
        XMPPTCPConnectionConfiguration configuration = XmppClients.startTls(port, user, password, null)
                .setResource("phone").build();
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setUseStreamManagement(true);
        connection.setUseStreamManagementResumption(true);
        connection.setReplyTimeout(10_000);
        ResumingClient client = new ResumingClient(connection);
        connection.addSyncStanzaListener(stanza -> client.bodies.add(((Message) stanza).getBody()),
                stanza -> stanza instanceof Message m && m.getBody() != null);
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                Thread reconnect = new Thread(client::reconnect, "reconnect-" + user);
                reconnect.setDaemon(true);
                reconnect.start();
            }
        });
        connection.connect().login();
        if (!connection.isSmEnabled()) {
            throw new IllegalStateException("stream management was not enabled for " + user);
        }
        return client;
    }

    private void reconnect() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                connection.connect().login();
                if (connection.streamWasResumed()) {
                    resumed.incrementAndGet();
                    lastResumedAt = System.nanoTime();
                } else {
                    reboundInstead.incrementAndGet();
                }
                return;
            } catch (Exception e) {
                if (connection.isConnected()) {
                    connection.instantShutdown();
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    List<String> bodies() {
        return List.copyOf(bodies);
    }

    int resumptions() {
        return resumed.get();
    }

    /** Reconnections where the server did not resume the session and a new one was bound. */
    int newSessions() {
        return reboundInstead.get();
    }

    long lastResumedAt() {
        return lastResumedAt;
    }

    boolean connected() {
        return connection.isAuthenticated();
    }

    XMPPConnection connection() {
        return connection;
    }

    void disconnect() {
        connection.disconnect();
    }
}
