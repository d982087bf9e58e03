package io.aviary.gateway.http.bosh;

import static io.aviary.gateway.http.bosh.BoshResponse.attribute;

import io.aviary.gateway.http.HttpFraming;
import io.aviary.gateway.http.HttpProperties;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import reactor.core.publisher.MonoSink;

/**
 * One BOSH session (XEP-0124) carrying one XMPP stream (XEP-0206) between HTTP requests: request
 * ids, held requests, the payloads waiting for a request, the responses kept for retransmission.
 * Everything runs on one event loop, so the state needs no locks.
 */
final class BoshSession {

    private record Held(long rid, MonoSink<BoshResponse> sink, ScheduledFuture<?> waitTimer) {
    }

    private record Pending(XmlElement body, MonoSink<BoshResponse> sink) {
    }

    private final String sid;
    private final EventLoop loop;
    private final HttpProperties properties;
    private final boolean legacy;
    private final boolean acks;
    private final int hold;
    private final long waitSeconds;
    private final Consumer<BoshSession> onEnd;
    private ClientSession client;
    private long lastRid;
    private final TreeMap<Long, Pending> outOfOrder = new TreeMap<>();
    private final Deque<Held> held = new ArrayDeque<>();
    private final Map<Long, BoshResponse> sent = new LinkedHashMap<>();
    private final List<String> payloads = new ArrayList<>();
    /** The characters in {@link #payloads}: what waits for the client's next request, capped like a TCP queue. */
    private long payloadChars;
    private final long maxPayloadBytes;
    private String creationAttributes;
    private boolean processing;
    private boolean streamError;
    private BoshResponse termination;
    private boolean ended;
    private long pauseSeconds;
    private long lastEmptyPoll = Long.MIN_VALUE;
    private ScheduledFuture<?> inactivityTimer;

    BoshSession(String sid, EventLoop loop, HttpProperties properties, long maxPayloadBytes, XmlElement creation,
                Consumer<BoshSession> onEnd) {
        this.sid = sid;
        this.maxPayloadBytes = maxPayloadBytes;
        this.loop = loop;
        this.properties = properties;
        this.onEnd = onEnd;
        this.legacy = creation.attributeOrNull("ver") == null;
        this.acks = creation.attributeOrNull("ack") != null;
        // XEP-0124 §7.1: the connection manager MAY reduce the client's 'hold' and 'wait'.
        this.hold = (int) Math.min(number(creation, "hold", 1), properties.boshMaxHold());
        this.waitSeconds = Math.min(number(creation, "wait", properties.boshMaxWait().toSeconds()),
                properties.boshMaxWait().toSeconds());
        this.lastRid = BoshRequests.rid(creation);
    }

    String sid() {
        return sid;
    }

    EventLoop loop() {
        return loop;
    }

    boolean legacy() {
        return legacy;
    }

    /** XEP-0124 §7.1-7.2: opens the stream; the response carries the session's parameters and the stream features. */
    void create(ClientSession session, XmlElement creation, MonoSink<BoshResponse> sink) {
        this.client = session;
        String to = creation.attributeOrNull("to");
        int requests = hold + 1;
        creationAttributes = attribute("sid", sid) + attribute("wait", waitSeconds) + attribute("hold", hold)
                + attribute("requests", requests) + attribute("polling", properties.boshPolling().toSeconds())
                + attribute("inactivity", properties.boshInactivity().toSeconds())
                + attribute("maxpause", properties.boshMaxPause().toSeconds()) + attribute("ver", "1.6")
                + attribute("secure", "true") + " xmlns:xmpp='" + BoshResponse.XBOSH + "' xmpp:version='1.0'"
                + " xmpp:restartlogic='true'";
        processing = true;
        openStream(to);
        processing = false;
        holdRequest(lastRid, sink);
    }

    /** A request for this session (XEP-0124 §14: requests are processed in rid order, repeats answered again). */
    void request(XmlElement body, MonoSink<BoshResponse> sink) {
        if (ended) {
            sink.success(BoshResponse.terminate(BoshCondition.ITEM_NOT_FOUND, legacy));
            return;
        }
        if (termination != null) {
            sink.success(termination);
            end();
            return;
        }
        long rid;
        try {
            rid = BoshRequests.rid(body);
        } catch (IllegalArgumentException e) {
            terminate(sink, BoshCondition.BAD_REQUEST);
            return;
        }
        if (rid <= lastRid) {
            resend(rid, sink);
        } else if (rid > lastRid + hold + 1) {
            // §14.2: beyond the window of 'requests' ids.
            terminate(sink, BoshCondition.ITEM_NOT_FOUND);
        } else if (rid != lastRid + 1) {
            outOfOrder.put(rid, new Pending(body, sink));
        } else {
            process(rid, body, sink);
            Pending next;
            while (!ended && (next = outOfOrder.remove(lastRid + 1)) != null) {
                process(lastRid + 1, next.body(), next.sink());
            }
        }
    }

    /** XEP-0124 §14.3: a repeated rid gets the response sent before, if it is still buffered. */
    private void resend(long rid, MonoSink<BoshResponse> sink) {
        for (Held h : held) {
            if (h.rid() == rid) {
                // The client gave up on the earlier HTTP connection; answer on the new one.
                held.remove(h);
                h.waitTimer().cancel(false);
                h.sink().success(BoshResponse.ok(BoshResponse.open("") + "</body>"));
                holdRequest(rid, sink);
                return;
            }
        }
        BoshResponse response = sent.get(rid);
        if (response != null) {
            sink.success(response);
        } else {
            terminate(sink, BoshCondition.ITEM_NOT_FOUND);
        }
    }

    private void process(long rid, XmlElement body, MonoSink<BoshResponse> sink) {
        lastRid = rid;
        cancelInactivity();
        String pause = body.attributeOrNull("pause");
        if (pause != null && !acceptPause(pause, sink)) {
            return;
        }
        boolean terminate = "terminate".equals(body.attributeOrNull("type"));
        boolean restart = "true".equals(body.attributeOrNull("{" + BoshResponse.XBOSH + "}restart"));
        if (hold == 0 && body.elements().findAny().isEmpty() && !terminate && !restart && pause == null && tooFrequent()) {
            // §12: a polling client sent two empty requests within 'polling' seconds.
            terminate(sink, BoshCondition.POLICY_VIOLATION);
            return;
        }
        processing = true;
        if (restart) {
            // XEP-0206 §5: the restart request stands for the new stream header.
            openStream(body.attributeOrNull("to"));
        }
        for (XmlElement payload : body.elements().toList()) {
            feed(XmlWriter.write(payload, null));
        }
        if (terminate && termination == null) {
            // XEP-0124 §13: terminating the session closes the stream.
            feed("</stream:stream>");
        }
        processing = false;
        holdRequest(rid, sink);
        if (pause != null && !ended) {
            // §10: the connection manager responds at once to all held requests, the pause request included.
            while (!held.isEmpty()) {
                respond(held.removeFirst(), "");
            }
            scheduleInactivityIfIdle();
        }
    }

    /** §10: a pause up to 'maxpause' lets the session be idle that long once; longer is a policy violation. */
    private boolean acceptPause(String value, MonoSink<BoshResponse> sink) {
        long seconds;
        try {
            seconds = Long.parseLong(value);
        } catch (NumberFormatException e) {
            terminate(sink, BoshCondition.BAD_REQUEST);
            return false;
        }
        if (seconds < 0 || seconds > properties.boshMaxPause().toSeconds()) {
            terminate(sink, BoshCondition.POLICY_VIOLATION);
            return false;
        }
        pauseSeconds = seconds;
        return true;
    }

    private boolean tooFrequent() {
        long now = System.nanoTime();
        boolean tooSoon = lastEmptyPoll != Long.MIN_VALUE && now - lastEmptyPoll < properties.boshPolling().toNanos();
        lastEmptyPoll = now;
        return tooSoon;
    }

    private void openStream(String to) {
        StringBuilder header = new StringBuilder("<stream:stream xmlns='jabber:client' "
                + "xmlns:stream='" + HttpFraming.STREAMS + "' version='1.0'");
        if (to != null) {
            header.append(" to='").append(XmlWriter.escape(to)).append('\'');
        }
        feed(header.append('>').toString());
    }

    private void feed(String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        client.receive(bytes, 0, bytes.length);
    }

    private void holdRequest(long rid, MonoSink<BoshResponse> sink) {
        ScheduledFuture<?> timer = loop.schedule(() -> expire(rid), waitSeconds, TimeUnit.SECONDS);
        held.addLast(new Held(rid, sink, timer));
        flush();
    }

    /** §7.1 'wait': a request held that long is answered empty. */
    private void expire(long rid) {
        for (Held h : held) {
            if (h.rid() == rid) {
                held.remove(h);
                respond(h, "");
                scheduleInactivityIfIdle();
                return;
            }
        }
    }

    /** What the stream said, framed for the next response. */
    void opened(StreamHeader header) {
        if (creationAttributes != null && header.id() != null) {
            creationAttributes += attribute("authid", header.id()) + attribute("from", header.from());
        }
    }

    void element(XmlElement element) {
        if (element.is("error", HttpFraming.STREAMS)) {
            streamError = true;
        }
        String payload = HttpFraming.write(element, false);
        payloads.add(payload);
        payloadChars += payload.length();
        if (payloadChars > maxPayloadBytes && !streamError) {
            // The client does not come for its data: the stream ends with resource-constraint instead (its error
            // is then the only payload).
            clearPayloads();
            client.outputOverflowed();
        }
        if (!processing) {
            flush();
        }
    }

    /** The stream ended (closing tag or stream error): the session terminates with the last payloads. */
    void streamEnded() {
        if (termination != null || ended) {
            return;
        }
        String attributes = attribute("type", "terminate")
                + (streamError ? attribute("condition", BoshCondition.REMOTE_STREAM_ERROR.value()) : "");
        termination = BoshResponse.ok(BoshResponse.open(attributes) + String.join("", payloads) + "</body>");
        clearPayloads();
        if (!processing) {
            flush();
        }
    }

    private void flush() {
        if (termination != null) {
            if (held.isEmpty()) {
                return; // the next request gets it
            }
            Held first = held.removeFirst();
            first.waitTimer().cancel(false);
            first.sink().success(termination);
            held.forEach(h -> respond(h, ""));
            held.clear();
            end();
            return;
        }
        if (!payloads.isEmpty() && !held.isEmpty()) {
            String content = String.join("", payloads);
            clearPayloads();
            respond(held.removeFirst(), content);
        }
        // §10: no more than 'hold' requests wait at once.
        while (held.size() > hold) {
            respond(held.removeFirst(), "");
        }
        scheduleInactivityIfIdle();
    }

    private void clearPayloads() {
        payloads.clear();
        payloadChars = 0;
    }

    private void respond(Held request, String content) {
        request.waitTimer().cancel(false);
        String attributes = "";
        if (creationAttributes != null) {
            attributes = creationAttributes;
            creationAttributes = null;
        }
        if (acks && request.rid() < lastRid) {
            // §9.1: tell the client which requests were received when answering an older one.
            attributes += attribute("ack", lastRid);
        }
        BoshResponse response = BoshResponse.ok(BoshResponse.open(attributes) + content + "</body>");
        sent.put(request.rid(), response);
        sent.keySet().removeIf(rid -> rid <= lastRid - hold - 1);
        request.sink().success(response);
    }

    private void scheduleInactivityIfIdle() {
        if (held.isEmpty() && inactivityTimer == null && !ended) {
            long seconds = pauseSeconds > 0 ? pauseSeconds : properties.boshInactivity().toSeconds();
            pauseSeconds = 0;
            inactivityTimer = loop.schedule(this::inactive, seconds, TimeUnit.SECONDS);
        }
    }

    private void cancelInactivity() {
        if (inactivityTimer != null) {
            inactivityTimer.cancel(false);
            inactivityTimer = null;
        }
    }

    /** §7.1 'inactivity': the client made no request for that long. */
    private void inactive() {
        inactivityTimer = null;
        if (held.isEmpty() && !ended) {
            client.disconnected();
            end();
        }
    }

    /** Ends the session with a terminal binding condition sent in answer to {@code sink}. */
    private void terminate(MonoSink<BoshResponse> sink, BoshCondition condition) {
        BoshResponse response = BoshResponse.terminate(condition, legacy);
        sink.success(response);
        held.forEach(h -> {
            h.waitTimer().cancel(false);
            h.sink().success(response);
        });
        held.clear();
        client.disconnected();
        end();
    }

    /** Forgets the session; requests still waiting out of order learn that it is gone. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        cancelInactivity();
        outOfOrder.values().forEach(p -> p.sink().success(BoshResponse.terminate(BoshCondition.ITEM_NOT_FOUND, legacy)));
        outOfOrder.clear();
        onEnd.accept(this);
    }

    private static long number(XmlElement body, String name, long fallback) {
        String value = body.attributeOrNull(name);
        return value == null ? fallback : BoshRequests.nonNegative(value);
    }
}
