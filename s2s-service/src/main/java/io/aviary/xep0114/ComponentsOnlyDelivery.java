package io.aviary.xep0114;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.s2s.ComponentDomains;
import io.aviary.s2s.RemoteDelivery;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The consumer of {@link Topics#S2S} (group {@code s2s}) where the process has no server-to-server streams: stanzas
 * for a component's domain go to the component; every other domain is unreachable (RFC 6120 §10.4.3
 * {@code remote-server-not-found}), as the router answers when nothing serves the topic. The federation tier's
 * consumer replaces it (it is created only when no other {@link RemoteDelivery} bean exists) and asks the same
 * {@link ComponentDomains} first.
 */
public final class ComponentsOnlyDelivery implements RemoteDelivery {

    private final StanzaBus bus;
    private final ComponentDomains components;
    private final Outbox outbox;
    private StanzaBus.Subscription subscription;

    public ComponentsOnlyDelivery(StanzaBus bus, ComponentDomains components, Outbox outbox) {
        this.bus = bus;
        this.components = components;
        this.outbox = outbox;
    }

    @Override
    public void start() {
        subscription = bus.subscribe(Topics.S2S, "s2s", this::handle);
    }

    private void handle(BusMessage message) {
        Stanza stanza = Stanza.of(message.stanza()).orElse(null);
        if (stanza == null) {
            return;
        }
        Jid to;
        try {
            to = stanza.to();
        } catch (XmppStringprepException e) {
            to = null;
        }
        if (to != null && components.serves(to.asDomainBareJid())) {
            components.send(stanza);
        } else if (!stanza.isError() && !(stanza.isIq() && "result".equals(stanza.type()))) {
            outbox.send(stanza.errorReply(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND));
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
