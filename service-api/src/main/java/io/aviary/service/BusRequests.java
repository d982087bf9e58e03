package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * IQ requests a service sends over the bus and whose replies it waits for: the server asking one of its own services
 * as a client would (the admin API reading a roster through the roster service, so that every change to a roster
 * still happens in that account's lane). The request goes out like any stanza the server sends ({@link Outbox}) with
 * an id naming {@link Topics#REPLIES}, where the router sends its result or error; this instance reads that topic in a
 * consumer group of its own. A reply counts only if it comes from the address the request went to and carries the id
 * of a request still waiting, which is random: a client cannot answer for a service. At most {@code maxPending}
 * requests wait at once, each at most {@code timeout}.
 */
public final class BusRequests implements AutoCloseable {

    /** The request could not be answered: too many waiting, no reply in time, or an error reply. */
    public static final class Unanswered extends RuntimeException {
        private final String condition;

        public Unanswered(String condition, String message) {
            super(message, null, false, false);
            this.condition = condition;
        }

        /** The stanza error condition of an error reply, {@code remote-server-timeout} or {@code resource-constraint}. */
        public String condition() {
            return condition;
        }
    }

    private record Waiting(String to, CompletableFuture<Stanza> reply) {
    }

    private final StanzaBus bus;
    private final Outbox outbox;
    private final Duration timeout;
    private final int maxPending;
    private final String group = "replies-" + UUID.randomUUID();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private StanzaBus.Subscription subscription;

    public BusRequests(StanzaBus bus, Duration timeout, int maxPending) {
        this.bus = bus;
        this.outbox = new Outbox(bus);
        this.timeout = timeout;
        this.maxPending = maxPending;
    }

    public void start() {
        subscription = bus.subscribe(Topics.REPLIES, group, this::reply);
    }

    /**
     * Sends {@code iq} (a get or set with {@code from} and {@code to}; its id is replaced) and completes with the
     * result, or fails with {@link Unanswered}: the error reply's condition, or no reply within the timeout.
     */
    public CompletableFuture<Stanza> request(XmlElement iq) {
        String to = Objects.requireNonNull(iq.attributeOrNull("to"), "to");
        if (waiting.size() >= maxPending) {
            return CompletableFuture.failedFuture(new Unanswered("resource-constraint", "too many requests waiting"));
        }
        String id = Topics.replyId(Topics.REPLIES, UUID.randomUUID().toString());
        CompletableFuture<Stanza> reply = new CompletableFuture<>();
        waiting.put(id, new Waiting(to, reply));
        outbox.send(iq.withAttribute("id", id));
        // The caller hears of the outcome only once the request no longer counts as waiting.
        return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof Unanswered ? e
                        : new Unanswered("remote-server-timeout", "no reply from " + to + " within " + timeout)))
                .whenComplete((r, e) -> waiting.remove(id));
    }

    private void reply(BusMessage message) {
        Stanza stanza = Stanza.of(message.stanza()).orElse(null);
        if (stanza == null || !stanza.isIq() || stanza.id() == null) {
            return;
        }
        Waiting request = waiting.get(stanza.id());
        if (request == null || !request.to().equals(stanza.fromAttribute())) {
            return;
        }
        if ("result".equals(stanza.type())) {
            request.reply().complete(stanza);
        } else if ("error".equals(stanza.type())) {
            String condition = stanza.element().child("error", Stanza.CLIENT_NAMESPACE)
                    .flatMap(e -> e.elements().filter(c -> c.namespace().equals(StanzaErrorCondition.NAMESPACE)
                            && !c.name().equals("text")).findFirst()).map(XmlElement::name).orElse("undefined-condition");
            request.reply().completeExceptionally(new Unanswered(condition, request.to() + " answered " + condition));
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        waiting.values().forEach(w -> w.reply().cancel(false));
    }
}
