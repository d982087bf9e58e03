package io.aviary.s2s;

import io.aviary.xmpp.stanza.Stanza;
import org.jxmpp.jid.DomainBareJid;

/**
 * The domains the federation tier reaches through external components (XEP-0114) rather than server-to-server streams.
 * The consumer of {@link io.aviary.bus.Topics#S2S} asks it first for every stanza: a stanza to a component's domain (or
 * a JID at it) goes to the component, wherever in the cluster it is connected; every other goes to the remote domain's
 * outgoing stream.
 */
public interface ComponentDomains {

    /** Whether {@code domain} is the domain of a configured component (or a subdomain it was allowed to serve). */
    boolean serves(DomainBareJid domain);

    /**
     * Hands {@code stanza}, addressed to a domain this {@link #serves}, to its component. When the component is not
     * connected, the sender gets the RFC 6120 §10.4 error (as for a remote server that cannot be reached).
     */
    void send(Stanza stanza);
}
