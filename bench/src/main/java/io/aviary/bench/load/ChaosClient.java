package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.ClientSettings;
import io.aviary.client.XmppConnection;
import io.aviary.xmpp.xml.XmlElement;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One user of the chaos run, logged in as a real client would be: when its stream breaks it logs in
 * again at once on the other gateway, and while that fails it keeps trying, alternating gateways,
 * with a growing pause. It always binds the same resource, so a new login replaces a session the
 * registry still holds for a dead gateway (RFC 6120 §7.7.2.2).
 */
final class ChaosClient implements XmppConnection.Listener {

    /** What the scenario hears from its clients; called on event loops. */
    interface Events {
        void message(ChaosClient client, XmlElement message);

        void dropped(ChaosClient client, String reason);
    }

    private static final String RESOURCE = "chaos";
    private static final long MAX_PAUSE_MILLIS = 4000;

    private final ClientEngine engine;
    private final ScheduledExecutorService timer;
    private final Events events;
    private final int index;
    private final int account;
    private final int home;
    private final List<InetSocketAddress> targets;

    private XmppConnection current;
    private int currentTarget;
    private XmppConnection pending;
    private int pendingTarget;
    /** The pending login replaces a connection on purpose ({@link #returnHome()}): the old one's end is no drop. */
    private boolean moving;
    private boolean stopped;
    private int failedLogins;
    private int logins;

    /**
     * @param index   this user's number in the run (from 0)
     * @param account the account number (see {@link ClientSettings#username})
     * @param home    the index of the target it first logs in on, and returns to on {@link #returnHome()}
     */
    ChaosClient(ClientEngine engine, ScheduledExecutorService timer, Events events, int index, int account, int home) {
        this.engine = engine;
        this.timer = timer;
        this.events = events;
        this.index = index;
        this.account = account;
        this.home = home;
        this.targets = engine.settings().targets();
    }

    int index() {
        return index;
    }

    String bareJid() {
        return engine.settings().bareJid(account);
    }

    synchronized void start() {
        login(home);
    }

    /** The bound connection to send on, or null while the client is offline. */
    synchronized XmppConnection online() {
        return current != null && current.phase() == XmppConnection.Phase.ONLINE ? current : null;
    }

    /** Whether the client is online on its home target. */
    synchronized boolean atHome() {
        return online() != null && currentTarget == home;
    }

    /** Logins after the first one. */
    synchronized int relogins() {
        return Math.max(0, logins - 1);
    }

    /** Moves an online client that lives on another target back home; the new login replaces the old one. */
    synchronized void returnHome() {
        if (online() != null && currentTarget != home && pending == null && !stopped) {
            moving = true;
            login(home);
        }
    }

    synchronized void stop() {
        stopped = true;
        if (pending != null) {
            pending.close();
            pending = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }

    private void login(int target) {
        pendingTarget = target;
        XmppConnection connection = new XmppConnection(engine, account, RESOURCE, false, this);
        pending = connection;
        long timeout = engine.settings().timeout().toNanos();
        engine.connect(connection, targets.get(target)).addListener(f -> connection.failUnlessOnlineWithin(timeout));
    }

    private int other(int target) {
        return (target + 1) % targets.size();
    }

    @Override
    public synchronized void online(XmppConnection connection) {
        if (connection != pending) {
            connection.close();
            return;
        }
        XmppConnection replaced = current;
        current = connection;
        currentTarget = pendingTarget;
        pending = null;
        moving = false;
        failedLogins = 0;
        logins++;
        if (replaced != null) {
            replaced.close();
        }
    }

    @Override
    public void failed(XmppConnection connection, String reason) {
        boolean dropped;
        synchronized (this) {
            if (connection == pending) {
                pending = null;
                moving = false;
                long pause = Math.min(MAX_PAUSE_MILLIS, 250L << Math.min(4, failedLogins++));
                int next = other(pendingTarget);
                if (!stopped) {
                    timer.schedule(() -> retry(next), pause, TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (connection != current) {
                return;
            }
            current = null;
            dropped = !moving;
            if (pending == null && !stopped) {
                login(other(currentTarget));
            }
        }
        if (dropped) {
            events.dropped(this, reason);
        }
    }

    private synchronized void retry(int target) {
        if (pending == null && current == null && !stopped) {
            login(target);
        }
    }

    @Override
    public void message(XmppConnection connection, XmlElement message) {
        events.message(this, message);
    }
}
