package io.aviary.xep0114;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.s2s.ComponentDomains;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured components and those connected to this instance: what the consumer of the s2s topic asks
 * ({@link ComponentDomains}), and where a component's stream hands its stanzas to the router. A stanza for a
 * component connected to another instance of a cluster is forwarded to that instance's own topic
 * ({@link #instanceTopic}), found in the {@link ComponentHolders}.
 */
public final class ConnectedComponents implements ComponentDomains, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConnectedComponents.class);

    private final Map<DomainBareJid, ComponentsProperties.Component> configured;
    private final Map<DomainBareJid, ComponentStream> connected = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private final StanzaBus bus;
    private final ComponentHolders holders;
    private final String instanceId;
    private StanzaBus.Subscription forwarded;

    public ConnectedComponents(List<ComponentsProperties.Component> components, Outbox outbox, StanzaBus bus,
                               ComponentHolders holders, String instanceId) {
        this.configured = components.stream().collect(Collectors.toUnmodifiableMap(
                c -> JidCreate.domainBareFromOrThrowUnchecked(c.domain()), Function.identity()));
        this.outbox = outbox;
        this.bus = bus;
        this.holders = holders;
        this.instanceId = instanceId;
    }

    /** The topic where other instances forward the stanzas for the components connected to {@code instance}. */
    public static String instanceTopic(String instance) {
        return Topics.S2S + "." + instance;
    }

    /** Starts reading this instance's own topic. */
    public void start() {
        forwarded = bus.subscribe(instanceTopic(instanceId), "s2s-" + instanceId,
                message -> Stanza.of(message.stanza()).ifPresent(this::deliverHere));
    }

    @Override
    public boolean serves(DomainBareJid domain) {
        return configured.containsKey(domain);
    }

    /**
     * Writes {@code stanza} to its component's stream, here or through the instance that holds it. When the component
     * is not connected the sender gets {@code service-unavailable}: the domain is this server's to serve, it is only
     * unavailable for now (RFC 6120 §8.3.3.19), not a remote server that could not be found (§10.4.3); Prosody
     * answers the same.
     */
    @Override
    public void send(Stanza stanza) {
        DomainBareJid domain = domainOf(stanza).orElse(null);
        ComponentStream stream = domain == null ? null : connected.get(domain);
        if (stream != null && stream.deliver(stanza.element())) {
            return;
        }
        String holder = domain == null ? null : holders.holder(domain).orElse(null);
        if (holder != null && !holder.equals(instanceId)) {
            // Keyed by the domain, so one component's stanzas keep their order on the holder's topic too.
            bus.publish(instanceTopic(holder), domain.toString(), BusMessage.of(stanza.element()));
            return;
        }
        bounce(stanza);
    }

    /** A stanza forwarded by another instance: this instance held the component when it was sent. */
    private void deliverHere(Stanza stanza) {
        ComponentStream stream = domainOf(stanza).map(connected::get).orElse(null);
        if (stream == null || !stream.deliver(stanza.element())) {
            bounce(stanza);
        }
    }

    /** Whether {@code domain}'s component is connected to this instance. */
    public boolean isConnected(DomainBareJid domain) {
        return connected.containsKey(domain);
    }

    Optional<ComponentsProperties.Component> configured(String streamTo) {
        if (streamTo == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(configured.get(JidCreate.domainBareFrom(streamTo)));
        } catch (XmppStringprepException e) {
            return Optional.empty();
        }
    }

    /** Records {@code stream} as {@code domain}'s; false when another stream has it, here or on another instance. */
    boolean attach(DomainBareJid domain, ComponentStream stream) {
        if (connected.putIfAbsent(domain, stream) != null) {
            return false;
        }
        if (!holders.hold(domain, instanceId)) {
            connected.remove(domain, stream);
            return false;
        }
        return true;
    }

    void detach(DomainBareJid domain, ComponentStream stream) {
        if (connected.remove(domain, stream)) {
            try {
                holders.release(domain, instanceId);
            } catch (RuntimeException e) {
                // The hold expires with its TTL instead; until then another instance refuses the component.
                log.warn("component {}: releasing its hold failed: {}", domain, e.toString());
            }
        }
    }

    /**
     * Renews this instance's holds. A hold lost meanwhile (this instance paused longer than the TTL and the component
     * connected elsewhere) ends the stream here with {@code conflict}: the other instance gets its stanzas now.
     */
    void renewHolds() {
        connected.forEach((domain, stream) -> {
            try {
                if (!holders.renew(domain, instanceId)) {
                    log.warn("component {}: another instance holds it now", domain);
                    stream.close(new StreamError(StreamErrorCondition.CONFLICT, domain + " connected elsewhere"));
                }
            } catch (RuntimeException e) {
                log.warn("component {}: renewing its hold failed: {}", domain, e.toString());
            }
        });
    }

    /** A stanza from a component, checked and in {@code jabber:client}: routed like any other. */
    void route(Stanza stanza) {
        outbox.send(stanza);
    }

    /** Ends every component's stream (the server stops). */
    void closeAll(StreamError error) {
        connected.values().forEach(stream -> stream.close(error));
    }

    @Override
    public void close() {
        if (forwarded != null) {
            forwarded.close();
        }
    }

    /** RFC 6120 §8.3.1: no error about an error or a result; nor about going offline, which needs no answer. */
    private void bounce(Stanza stanza) {
        if (stanza.isError() || (stanza.isIq() && "result".equals(stanza.type()))
                || (stanza.isPresence() && "unavailable".equals(stanza.type()))) {
            return;
        }
        outbox.send(stanza.errorReply(StanzaError.of(StanzaErrorCondition.SERVICE_UNAVAILABLE,
                "the component is not connected")));
    }

    private static Optional<DomainBareJid> domainOf(Stanza stanza) {
        try {
            Jid to = stanza.to();
            return Optional.ofNullable(to).map(Jid::asDomainBareJid);
        } catch (XmppStringprepException e) {
            return Optional.empty();
        }
    }
}
