package io.aviary.xep0114;

import io.aviary.s2s.ComponentDomains;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.stanza.StreamError;
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

/**
 * The configured components and those connected to this process: what the consumer of the s2s topic asks
 * ({@link ComponentDomains}), and where a component's stream hands its stanzas to the router.
 */
public final class ConnectedComponents implements ComponentDomains {

    private final Map<DomainBareJid, ComponentsProperties.Component> configured;
    private final Map<DomainBareJid, ComponentStream> connected = new ConcurrentHashMap<>();
    private final Outbox outbox;

    public ConnectedComponents(List<ComponentsProperties.Component> components, Outbox outbox) {
        this.configured = components.stream().collect(Collectors.toUnmodifiableMap(
                c -> JidCreate.domainBareFromOrThrowUnchecked(c.domain()), Function.identity()));
        this.outbox = outbox;
    }

    @Override
    public boolean serves(DomainBareJid domain) {
        return configured.containsKey(domain);
    }

    /**
     * Writes {@code stanza} to its component's stream. When the component is not connected the sender gets
     * {@code service-unavailable}: the domain is this server's to serve, it is only unavailable for now (RFC 6120
     * §8.3.3.19), not a remote server that could not be found (§10.4.3), which is what Prosody answers too.
     */
    @Override
    public void send(Stanza stanza) {
        ComponentStream stream = domainOf(stanza).map(connected::get).orElse(null);
        if (stream != null && stream.deliver(stanza.element())) {
            return;
        }
        bounce(stanza);
    }

    /** Whether {@code domain}'s component is connected to this process. */
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

    /** Records {@code stream} as {@code domain}'s; false when another stream has it. */
    boolean attach(DomainBareJid domain, ComponentStream stream) {
        return connected.putIfAbsent(domain, stream) == null;
    }

    void detach(DomainBareJid domain, ComponentStream stream) {
        connected.remove(domain, stream);
    }

    /** A stanza from a component, checked and in {@code jabber:client}: routed like any other. */
    void route(Stanza stanza) {
        outbox.send(stanza);
    }

    /** Ends every component's stream (the server stops). */
    void closeAll(StreamError error) {
        connected.values().forEach(stream -> stream.close(error));
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
