package io.aviary.router.carbons;

import io.aviary.router.Route;
import io.aviary.router.ServerDelay;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0280 Message Carbons: the copies the router adds to a message's routes, for the carbons-enabled available
 * resources (the registry's {@link SessionEntry#carbons()}) of the recipient that did not get the message
 * ({@code <received/>}, §7) and of the sender other than the sending one ({@code <sent/>}, §8). Each copy is an
 * ordinary {@link Route.Deliver}, wrapped in a XEP-0297 {@code <forwarded/>}, from the account's bare JID to the
 * copied resource's full JID.
 */
public final class CarbonCopies {

    public static final String NAMESPACE = "urn:xmpp:carbons:2";
    private static final String FORWARD = "urn:xmpp:forward:0";
    private static final String HINTS = "urn:xmpp:hints";
    private static final String MUC_USER = "http://jabber.org/protocol/muc#user";

    private final DomainBareJid domain;
    private final SessionRegistry registry;

    public CarbonCopies(DomainBareJid domain, SessionRegistry registry) {
        this.domain = domain;
        this.registry = registry;
    }

    /**
     * The message as its addressee gets it: XEP-0280 §9, the receiving server "SHOULD remove the {@code <private/>}
     * element before delivering to the recipient". Other stanzas are returned as they are.
     */
    public static Stanza withoutPrivate(Stanza stanza) {
        if (!stanza.isMessage() || stanza.element().child("private", NAMESPACE).isEmpty()) {
            return stanza;
        }
        return new Stanza(stanza.kind(), stanza.element().withoutChildren("private", NAMESPACE));
    }

    /** {@code routes}, the delivery of {@code message} as the client sent it, with the carbon copies it calls for. */
    public List<Route> withCopies(Stanza message, List<Route> routes) {
        if (!eligible(message)) {
            return routes;
        }
        Set<EntityFullJid> served = new HashSet<>();
        routes.stream().filter(Route.Deliver.class::isInstance)
                .forEach(route -> served.add(((Route.Deliver) route).session().jid()));
        List<Route> all = new ArrayList<>(routes);
        Jid from = jidOrNull(message, true);
        if (from != null && from.hasResource()) {
            served.add(from.asEntityFullJidIfPossible()); // §8: the sending client gets no copy of its own message
        }
        EntityBareJid recipient = localAccount(jidOrNull(message, false));
        // §6 copies an "error ... sent in response to a <message/> that was itself eligible", which needs tracking;
        // as Prosody does, we copy the error from a bare JID, the bounce of a message sent to a contact's bare JID
        // (any of the user's resources may have sent it), to the recipient's other resources, and no other error.
        boolean bounce = message.isError() && from != null && !from.hasResource();
        // §7: copies for the recipient's other resources, only once the message reached one of them (a message
        // stored offline or bounced gets none).
        if (recipient != null && (bounce || !message.isError())
                && served.stream().anyMatch(jid -> jid.asEntityBareJid().equals(recipient))) {
            all.addAll(copies("received", message, recipient, served));
        }
        // §8: copies for the sender's other resources, whatever became of the message.
        EntityBareJid sender = from != null && from.hasResource() ? localAccount(from) : null;
        if (sender != null && !message.isError()) {
            all.addAll(copies("sent", message, sender, served));
        }
        return all;
    }

    /** Adds the copies to {@code served}, so no resource gets the same message twice. */
    private List<Route> copies(String direction, Stanza message, EntityBareJid account, Set<EntityFullJid> served) {
        List<Route> copies = new ArrayList<>();
        for (SessionEntry session : registry.sessions(account)) {
            if (session.carbons() && session.available() && served.add(session.jid())) {
                copies.add(new Route.Deliver(session, wrap(direction, message, account, session.jid())));
            }
        }
        return copies;
    }

    /** §7 and §8: "The wrapping message SHOULD maintain the same 'type' attribute value" (but an error needs an error). */
    private static XmlElement wrap(String direction, Stanza message, EntityBareJid account, EntityFullJid to) {
        XmlElement.Builder wrapper = XmlElement.builder("message", Stanza.CLIENT_NAMESPACE)
                .attribute("from", account.toString()).attribute("to", to.toString());
        if (!message.isError() && message.type() != null) {
            wrapper.attribute("type", message.type());
        }
        return wrapper.child(XmlElement.builder(direction, NAMESPACE)
                .child(XmlElement.builder("forwarded", FORWARD).child(message.element()).build())
                .build()).build();
    }

    /**
     * §6 ("Messages Eligible for Carbons Delivery", the rules advertised as {@code urn:xmpp:carbons:rules:0}): chat,
     * normal with a body, bounces (see {@link #withCopies}); never groupchat or headline, nor messages from a MUC
     * room or its occupants. Not copied either: §9 {@code <private/>}, XEP-0334 §4.3 {@code <no-copy/>}, carbons
     * themselves, and messages the server sends again with its own XEP-0203 delay stamp (offline storage, the
     * re-routing of a session that was never resumed): they were copied, or found nobody, the first time.
     */
    boolean eligible(Stanza message) {
        if (!message.isMessage()) {
            return false;
        }
        XmlElement element = message.element();
        boolean excluded = element.anyChild(child -> child.is("private", NAMESPACE)
                || child.is("no-copy", HINTS) || child.is("received", NAMESPACE) || child.is("sent", NAMESPACE)
                || child.is("x", MUC_USER));
        if (excluded || ServerDelay.isResent(element, domain)) {
            return false;
        }
        String type = message.type() == null ? "normal" : message.type();
        return switch (type) {
            case "chat", "error" -> true;
            case "normal" -> element.child("body", Stanza.CLIENT_NAMESPACE).isPresent();
            default -> false;
        };
    }

    private EntityBareJid localAccount(Jid jid) {
        if (jid == null || !jid.getDomain().equals(domain)) {
            return null;
        }
        return jid.asEntityBareJidIfPossible();
    }

    private static Jid jidOrNull(Stanza stanza, boolean from) {
        try {
            return from ? stanza.from() : stanza.to();
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
