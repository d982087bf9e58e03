package io.aviary.xep0050;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The open sessions of multi-stage commands (XEP-0050 §3.4, "sessionid"), in this process's memory: a session is the
 * requester's full JID and the command's node. The commands IQs of one requester are keyed by its bare JID on the
 * admin topic, so in a cluster one admin-service instance sees every stage of a session (until its partitions move,
 * when the requester gets {@code bad-sessionid} and starts again). Bounded in number and age.
 */
public final class CommandSessions {

    /** One open session. */
    public record Session(String id, String requester, String node, Instant started) {
    }

    private final Clock clock;
    private final Duration lifetime;
    private final int maxSessions;
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public CommandSessions(Clock clock, Duration lifetime, int maxSessions) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.maxSessions = maxSessions;
    }

    public synchronized Session open(String requester, String node) {
        expire();
        if (sessions.size() >= maxSessions) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        Session session = new Session(UUID.randomUUID().toString(), requester, node, clock.instant());
        sessions.put(session.id(), session);
        return session;
    }

    /** The session {@code id} of {@code requester}, taken out: each session is completed or cancelled once. */
    public synchronized Optional<Session> take(String id, String requester) {
        expire();
        Session session = sessions.get(id);
        if (session == null || !session.requester().equals(requester)) {
            return Optional.empty();
        }
        sessions.remove(id);
        return Optional.of(session);
    }

    private void expire() {
        Instant oldest = clock.instant().minus(lifetime);
        sessions.values().removeIf(s -> s.started().isBefore(oldest));
    }
}
