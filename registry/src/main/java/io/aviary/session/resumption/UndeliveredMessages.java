package io.aviary.session.resumption;

import io.aviary.bus.StanzaBus;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Sends a message that a session will never get (it ended unresumed, or its gateway died before writing it) to the
 * account again: re-addressed to the bare JID, so the router hands it to another resource or to offline storage
 * (RFC 6121 §8.5.3.2.1), with a XEP-0203 delay stamp when it has none. Only one-to-one messages that make sense
 * later: not errors (RFC 6120 §8.3.1: no error about an error), groupchat (the room has them) or headlines
 * (RFC 6121 §5.2.2: not stored), nor XEP-0280 carbon copies (the original went to another resource).
 */
public final class UndeliveredMessages {

    static final String DELAY_NAMESPACE = "urn:xmpp:delay";
    private static final String CARBONS_NAMESPACE = "urn:xmpp:carbons:2";
    private static final Set<String> KEPT_TYPES = Set.of("normal", "chat");
    private static final Set<String> IQ_REQUESTS = Set.of("get", "set");

    private final Outbox outbox;
    private final MeterRegistry meters;
    private final Clock clock;

    public UndeliveredMessages(StanzaBus bus, MeterRegistry meters, Clock clock) {
        this.outbox = new Outbox(bus);
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * A stanza no connection will write (its session's gateway died, or its session could not be queued): a message
     * is {@linkplain #reroute re-routed}, an IQ request answered {@code service-unavailable} (RFC 6120 §8.3.3.19: the
     * entity is not there to answer), anything else (presence, results, errors) dropped.
     */
    public void handOver(XmlElement stanza, String source) {
        if (reroute(stanza, source)) {
            return;
        }
        Stanza.of(stanza).filter(s -> s.isIq() && IQ_REQUESTS.contains(s.type()))
                .ifPresent(request -> outbox.send(request.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE)));
    }

    /** Re-routes {@code stanza} if it is such a message; {@code source} tags the count. Whether it did. */
    public boolean reroute(XmlElement stanza, String source) {
        if (!stanza.is("message", Stanza.CLIENT_NAMESPACE) || !KEPT_TYPES.contains(stanza.attribute("type").orElse("normal"))
                || stanza.child("sent", CARBONS_NAMESPACE).isPresent()
                || stanza.child("received", CARBONS_NAMESPACE).isPresent()) {
            return false;
        }
        Jid to;
        try {
            to = JidCreate.from(stanza.attributeOrNull("to"));
        } catch (XmppStringprepException | RuntimeException e) {
            return false;
        }
        XmlElement message = stanza.withAttribute("to", to.asBareJid().toString());
        if (message.child("delay", DELAY_NAMESPACE).isEmpty()) {
            message = message.withChild(XmlElement.builder("delay", DELAY_NAMESPACE)
                    .attribute("from", to.getDomain().toString())
                    .attribute("stamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                    .build());
        }
        outbox.send(message);
        meters.counter("xmpp.sm.rerouted", "source", source).increment();
        return true;
    }
}
