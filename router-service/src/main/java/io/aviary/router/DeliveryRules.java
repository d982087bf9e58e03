package io.aviary.router;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.Comparator;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The server rules for stanzas whose {@code to} is local (RFC 6120 §10.3-10.5, RFC 6121 §8.5):
 * which sessions get a stanza, when the server answers itself, and when the sender gets an error.
 * Presence to bare JIDs and offline storage are left to the RFC 6121 capabilities.
 */
public final class DeliveryRules {

    private final DomainBareJid domain;
    private final SessionRegistry registry;

    public DeliveryRules(DomainBareJid domain, SessionRegistry registry) {
        this.domain = domain;
        this.registry = registry;
    }

    public List<Route> route(Stanza stanza) {
        Jid to;
        try {
            to = stanza.to();
        } catch (XmppStringprepException e) {
            return error(stanza, StanzaErrorCondition.JID_MALFORMED);
        }
        if (to == null || to.equals(domain)) {
            // RFC 6120 §10.3: no 'to' (or the domain itself) means the server handles it for the account.
            // Presence without 'to' is a broadcast, which the presence capability performs (RFC 6121 §4.2.2).
            if (stanza.isMessage() && to == null) {
                EntityBareJid sender = senderAccount(stanza);
                return sender == null ? List.of(new Route.Drop("message without sender")) : routeToAccount(stanza, sender);
            }
            return List.of(new Route.ToService(stanza.element()));
        }
        if (!to.getDomain().equals(domain)) {
            // No server-to-server yet: RFC 6120 §10.4.3 remote-server-not-found.
            return error(stanza, StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND);
        }
        EntityFullJid fullJid = to.asEntityFullJidIfPossible();
        if (fullJid != null) {
            return routeToResource(stanza, fullJid);
        }
        EntityBareJid bareJid = to.asEntityBareJidIfPossible();
        if (bareJid == null) {
            // domain/resource: a service address we do not host.
            return error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        return routeToAccount(stanza, bareJid);
    }

    private List<Route> routeToResource(Stanza stanza, EntityFullJid to) {
        var session = registry.session(to);
        if (session.isPresent()) {
            return List.of(new Route.Deliver(session.get(), stanza.element()));
        }
        // RFC 6121 §8.5.3.2: no such resource.
        return switch (stanza.kind()) {
            case MESSAGE -> switch (typeOf(stanza, "normal")) {
                case "chat", "normal" -> routeToAccount(stanza, to.asEntityBareJid());
                case "groupchat" -> error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
                default -> List.of(new Route.Drop("headline or error to an unavailable resource"));
            };
            case IQ -> error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            case PRESENCE -> List.of(new Route.Drop("presence to an unavailable resource"));
        };
    }

    private List<Route> routeToAccount(Stanza stanza, EntityBareJid account) {
        if (stanza.isIq()) {
            // RFC 6120 §10.5.3.1 / RFC 6121 §8.5.2.1.3: the server answers IQs to a bare JID.
            return List.of(new Route.ToService(stanza.element()));
        }
        List<SessionEntry> sessions = registry.sessions(account);
        if (stanza.isPresence()) {
            return sessions.stream().<Route>map(s -> new Route.Deliver(s, stanza.element())).toList();
        }
        String type = typeOf(stanza, "normal");
        if (type.equals("error")) {
            return List.of(new Route.Drop("message error to a bare JID"));
        }
        if (type.equals("groupchat")) {
            return error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        List<SessionEntry> available = sessions.stream()
                .filter(SessionEntry::available)
                .filter(s -> s.priority() >= 0)
                .toList();
        if (available.isEmpty()) {
            // RFC 6121 §8.5.2.2.1: no available resource and no offline storage yet.
            return type.equals("headline")
                    ? List.of(new Route.Drop("headline with no available resource"))
                    : error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if (type.equals("headline")) {
            // RFC 6121 §8.5.2.1.1: headlines go to all non-negative resources.
            return available.stream().<Route>map(s -> new Route.Deliver(s, stanza.element())).toList();
        }
        // RFC 6121 §8.5.2.1.1: chat and normal go to the highest-priority resource.
        SessionEntry best = available.stream().max(Comparator.comparingInt(SessionEntry::priority)).orElseThrow();
        return List.of(new Route.Deliver(best, stanza.element()));
    }

    private EntityBareJid senderAccount(Stanza stanza) {
        try {
            Jid from = stanza.from();
            return from == null ? null : from.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private static String typeOf(Stanza stanza, String fallback) {
        String type = stanza.type();
        return type == null ? fallback : type;
    }

    private static List<Route> error(Stanza stanza, StanzaErrorCondition condition) {
        if (stanza.isError() || (stanza.isIq() && "result".equals(stanza.type()))) {
            // RFC 6120 §8.3.1: never answer an error with an error; results need no reply.
            return List.of(new Route.Drop("no error reply to " + stanza.type()));
        }
        return List.of(new Route.Reply(stanza.errorReply(condition).element()));
    }
}
