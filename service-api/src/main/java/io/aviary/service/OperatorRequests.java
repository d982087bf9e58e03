package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
import org.jxmpp.jid.DomainBareJid;

/**
 * Requests of the server's operators (the admin API) to its hosted services, over the bus like any IQ, in a namespace
 * of Aviary's own: {@code <rooms/>} and {@code <destroy/>} for group chat, {@code <nodes/>} and {@code <delete/>} for
 * pubsub. They are honoured only from the server's own domain JID, which no client can send from: gateways stamp each
 * client stanza with its session's full JID (RFC 6120 §8.1.2.1), and a remote server's stanzas are accepted only from
 * the domain it authenticated. Replies come back through {@link BusRequests}. The group chat service also sends its
 * rooms {@code <account-removed/>} itself, when an account goes, and drops the replies.
 */
public final class OperatorRequests {

    public static final String NAMESPACE = "urn:aviary:operator:0";

    private OperatorRequests() {
    }

    /** Whether {@code stanza} is an IQ get or set in {@link #NAMESPACE} from the server itself. */
    public static boolean isFromServer(Stanza stanza, DomainBareJid domain) {
        return stanza.isIq() && ("get".equals(stanza.type()) || "set".equals(stanza.type()))
                && domain.toString().equals(stanza.fromAttribute())
                && stanza.payload().map(p -> NAMESPACE.equals(p.namespace())).orElse(false);
    }
}
