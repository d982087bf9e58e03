package io.aviary.xep0357;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.bus.Topics;
import io.aviary.service.MessageHandler;
import io.aviary.service.StanzaKeys;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0357 §"Publishing Notifications": for a message the router handed the archive as incoming that no connected
 * client got (reach HIBERNATED or OFFLINE; a groupchat message comes as a record the archive does not keep), a PubSub
 * publish of a {@code urn:xmpp:push:summary} notification to each of the owner's registrations, at most one per
 * registration per burst ({@link PushProperties#burst()}); the messages in between are counted in the next
 * notification's {@code message-count}. A message that reached a connected client ends the owner's bursts: the user
 * was back, so the next absence starts afresh.
 *
 * <p>The burst state is in memory: one owner's records all come to one archive-service instance (the topic's key),
 * and after a failover the new instance starts without it, which costs at most one early notification per
 * registration. The notifications' ids carry the node ({@link Topics#replyId}), so an error reply finds its
 * registration without state: §"Publish Errors": "If a publish request is returned with an IQ-error, then the server
 * SHOULD consider the particular JID and node combination to be disabled. However, a server MAY choose to keep a
 * service enabled if the error is deemed recoverable or transient" — errors of type {@code wait} are transient.
 */
public final class PushNotifier implements MessageHandler {

    private static final Logger log = LoggerFactory.getLogger(PushNotifier.class);
    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String DATA_FORMS = "jabber:x:data";
    private static final String ID_PREFIX = "push.";

    private final PushRegistrationStore store;
    private final Consumer<XmlElement> send;
    private final PushProperties properties;
    private final Clock clock;
    private final PushMetrics metrics;
    private final Map<Target, Burst> bursts = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** A registration as the burst state knows it. */
    private record Target(String owner, String service, String node) {
    }

    /** When the last notification went out, and the messages since. */
    private record Burst(Instant lastSent, int unnotified) {
    }

    PushNotifier(PushRegistrationStore store, Consumer<XmlElement> send, PushProperties properties, Clock clock,
                 PushMetrics metrics) {
        this.store = store;
        this.send = send;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void handleMessage(Stanza message) {
        // only archive records matter, and those come with their headers
    }

    @Override
    public void handleMessage(Stanza message, BusMessage delivery) {
        if (!ArchiveRecord.isRecord(delivery)) {
            return;
        }
        ArchiveRecord record = ArchiveRecord.from(delivery);
        if (record.direction() != ArchiveRecord.Direction.INCOMING) {
            return;
        }
        if (record.reach() == ArchiveRecord.Reach.ONLINE) {
            forget(record.owner(), null, null);
            return;
        }
        if (record.reach() != ArchiveRecord.Reach.HIBERNATED && record.reach() != ArchiveRecord.Reach.OFFLINE) {
            return;
        }
        for (PushRegistration registration : store.registrations(record.owner())) {
            Target target = new Target(registration.owner(), registration.service(), registration.node());
            Instant now = clock.instant();
            Burst burst = bursts.merge(target, new Burst(null, 1),
                    (old, one) -> new Burst(old.lastSent(), old.unnotified() + 1));
            if (burst.lastSent() == null || !now.isBefore(burst.lastSent().plus(properties.burst()))) {
                bursts.put(target, new Burst(now, 0));
                send.accept(notification(registration, record, burst.unnotified()));
                metrics.sent();
            }
        }
    }

    /** Drops the burst state of the owner's registrations for {@code service} ({@code null}: all) on {@code node}. */
    void forget(String owner, String service, String node) {
        bursts.keySet().removeIf(t -> t.owner().equals(owner) && (service == null || t.service().equals(service))
                && (node == null || t.node().equals(node)));
    }

    /** A result or error of an IQ sent on the archive topic: those of notifications are ours. */
    void answered(Stanza reply) {
        String prefix = Topics.replyId(Topics.ARCHIVE, ID_PREFIX);
        if (!"error".equals(reply.type()) || reply.id() == null || !reply.id().startsWith(prefix)) {
            return;
        }
        String node = nodeOf(reply.id().substring(prefix.length()));
        if (node == null) {
            return;
        }
        metrics.failed();
        String errorType = reply.element().child("error", Stanza.CLIENT_NAMESPACE)
                .map(e -> e.attributeOrNull("type")).orElse(null);
        if ("wait".equals(errorType)) {
            return;
        }
        String owner = StanzaKeys.bareOf(reply.toAttribute());
        String service = reply.fromAttribute();
        if (service == null) {
            return;
        }
        log.info("push registration {} node {} of {} disabled: the app server answered with an error of type {}",
                service, node, owner, errorType);
        store.disable(owner, service, node);
        forget(owner, service, node);
        metrics.disabled();
    }

    private XmlElement notification(PushRegistration registration, ArchiveRecord record, int count) {
        XmlElement.Builder summary = XmlElement.builder("x", DATA_FORMS).attribute("type", "submit")
                .child(field("FORM_TYPE", "urn:xmpp:push:summary"))
                .child(field("message-count", Integer.toString(count)))
                .child(field("last-message-sender", record.with()));
        if (properties.includeBody()) {
            record.message().childText("body", Stanza.CLIENT_NAMESPACE)
                    .ifPresent(body -> summary.child(field("last-message-body", body)));
        }
        XmlElement.Builder pubsub = XmlElement.builder("pubsub", PUBSUB)
                .child(XmlElement.builder("publish", PUBSUB).attribute("node", registration.node())
                        .child(XmlElement.builder("item", PUBSUB)
                                .child(XmlElement.builder("notification", PushCommand.NAMESPACE)
                                        .child(summary.build()).build()).build()).build());
        if (registration.publishOptions() != null) {
            pubsub.child(XmlElement.builder("publish-options", PUBSUB).child(registration.publishOptions()).build());
        }
        return XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("from", registration.owner()).attribute("to", registration.service())
                .attribute("id", Topics.replyId(Topics.ARCHIVE, idFor(registration.node())))
                .child(pubsub.build()).build();
    }

    private static XmlElement field(String var, String value) {
        return XmlElement.builder("field", DATA_FORMS).attribute("var", var).textChild("value", value).build();
    }

    /** {@code push.<node, base64url>.<sequence>}: the reply names the node it is about. */
    private String idFor(String node) {
        return ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(node.getBytes(StandardCharsets.UTF_8))
                + "." + sequence.incrementAndGet();
    }

    /** The node in what follows {@code push.} in a notification's id, or null when it is not one. */
    private static String nodeOf(String rest) {
        int end = rest.lastIndexOf('.');
        if (end <= 0) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(rest.substring(0, end)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
