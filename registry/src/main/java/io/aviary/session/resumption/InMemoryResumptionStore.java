package io.aviary.session.resumption;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The standalone resumption store: one synchronized record per session. */
public final class InMemoryResumptionStore implements ResumptionStore {

    private final Map<String, Held> sessions = new ConcurrentHashMap<>();

    @Override
    public void open(ResumableSession session) {
        sessions.put(session.id(), new Held(session));
    }

    @Override
    public long append(String id, XmlElement stanza) {
        Held held = sessions.get(id);
        if (held == null) {
            return UNKNOWN;
        }
        synchronized (held) {
            if (held.queue.size() >= held.session.maxQueue()) {
                return FULL;
            }
            long position = ++held.lastPosition;
            held.queue.put(position, stanza);
            return position;
        }
    }

    @Override
    public List<QueuedStanza> after(String id, long position) {
        Held held = sessions.get(id);
        if (held == null) {
            return List.of();
        }
        synchronized (held) {
            List<QueuedStanza> queued = new ArrayList<>();
            held.queue.tailMap(position, false).forEach((p, stanza) -> queued.add(new QueuedStanza(p, stanza)));
            return queued;
        }
    }

    @Override
    public void acknowledge(String id, long h, long position) {
        Held held = sessions.get(id);
        if (held == null) {
            return;
        }
        synchronized (held) {
            held.queue.headMap(position, true).clear();
            // Acknowledgements may be applied out of order: keep the latest (h, position) pair, never mix two.
            if (position >= held.acknowledgedAt) {
                held.acknowledgedH = h;
                held.acknowledgedAt = position;
            }
        }
    }

    @Override
    public void discard(String id, long position) {
        Held held = sessions.get(id);
        if (held != null) {
            synchronized (held) {
                held.queue.remove(position);
            }
        }
    }

    @Override
    public void handled(String id, long inbound) {
        Held held = sessions.get(id);
        if (held != null) {
            synchronized (held) {
                held.inbound = Math.max(held.inbound, inbound);
            }
        }
    }

    @Override
    public Optional<ResumptionState> state(String id) {
        Held held = sessions.get(id);
        if (held == null) {
            return Optional.empty();
        }
        synchronized (held) {
            return Optional.of(held.state(null));
        }
    }

    @Override
    public boolean hibernate(String id, String connectionId, Instant until) {
        Held held = sessions.get(id);
        if (held == null) {
            return false;
        }
        synchronized (held) {
            // Once handed to a reaper, a session is ending: a late hibernation must not make it expire twice.
            if (held.expiredHandedOut || !held.session.connectionId().equals(connectionId)) {
                return false;
            }
            held.hibernatedUntil = until;
            return true;
        }
    }

    @Override
    public Optional<ResumptionState> claim(String id, String gatewayId, String connectionId) {
        Held held = sessions.get(id);
        if (held == null) {
            return Optional.empty();
        }
        synchronized (held) {
            if (held.expiredHandedOut || held.hibernatedUntil != null && !Instant.now().isBefore(held.hibernatedUntil)) {
                return Optional.empty();
            }
            String previous = held.session.gatewayId();
            ResumableSession s = held.session;
            held.session = new ResumableSession(s.id(), s.jid(), gatewayId, connectionId, s.maxResumption(), s.maxQueue());
            held.hibernatedUntil = null;
            return Optional.of(held.state(previous));
        }
    }

    @Override
    public List<ResumptionState> expired(Instant now, int max) {
        List<ResumptionState> expired = new ArrayList<>();
        for (Held held : sessions.values()) {
            if (expired.size() >= max) {
                break;
            }
            synchronized (held) {
                if (!held.expiredHandedOut && held.hibernatedUntil != null && !now.isBefore(held.hibernatedUntil)) {
                    held.expiredHandedOut = true;
                    expired.add(held.state(null));
                }
            }
        }
        return expired;
    }

    @Override
    public void close(String id) {
        sessions.remove(id);
    }

    private static final class Held {
        private ResumableSession session;
        private final NavigableMap<Long, XmlElement> queue = new TreeMap<>();
        private long lastPosition;
        private long acknowledgedH;
        private long acknowledgedAt;
        private long inbound;
        private Instant hibernatedUntil;
        private boolean expiredHandedOut;

        Held(ResumableSession session) {
            this.session = session;
        }

        ResumptionState state(String previousGateway) {
            return new ResumptionState(session, acknowledgedH, acknowledgedAt, lastPosition, inbound, hibernatedUntil,
                    previousGateway);
        }
    }
}
