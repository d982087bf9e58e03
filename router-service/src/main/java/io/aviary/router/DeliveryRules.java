package io.aviary.router;

import io.aviary.router.archive.MessageArchiving;
import io.aviary.router.carbons.CarbonCopies;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The server rules for stanzas whose {@code to} is local (RFC 6120 §10.3-10.5, RFC 6121 §8.5):
 * which sessions get a stanza, when the server answers itself, and when the sender gets an error.
 *
 * <p>Presence subscriptions and probes always go to the service ({@link Route.ToService}), which
 * performs the RFC 6121 §3 and §4.3 processing. The one exception is how the service hands a
 * processed subscription stanza to a contact's resource: addressed to the full JID and from a bare
 * JID (outbound processing stamps the bare JID, RFC 6121 §3.1.2), it is delivered as is.
 *
 * <p>Messages of type normal or chat to a bare JID go to every available resource with the
 * highest non-negative priority (RFC 6121 §8.5.2.1.1 lets the server pick among equals; we pick
 * them all); with no such resource they go to offline storage, the service. To an unavailable full JID only
 * chat falls back to the bare JID (§8.5.3.2.1); a normal message is refused rather than shown to another resource.
 */
public final class DeliveryRules {

    private static final String DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
    private static final Set<String> SUBSCRIPTION_TYPES = Set.of("subscribe", "subscribed", "unsubscribe", "unsubscribed");

    private final DomainBareJid domain;
    private final SessionRegistry registry;
    private final AccountDirectory accounts;
    private final CarbonCopies carbons;
    private final MessageArchiving archiving;
    private final Predicate<DomainBareJid> hostedServices;
    private final BooleanSupplier federation;

    /** Rules that archive nothing (a server without an archive, benchmarks of routing alone). */
    public DeliveryRules(DomainBareJid domain, SessionRegistry registry, AccountDirectory accounts) {
        this(domain, registry, accounts, null);
    }

    /** Rules that hand messages to the users' archives (XEP-0313) through {@code archiving}. */
    public DeliveryRules(DomainBareJid domain, SessionRegistry registry, AccountDirectory accounts,
                         MessageArchiving archiving) {
        this(domain, registry, accounts, archiving, address -> false);
    }

    /**
     * The same, with the addresses of the server's hosted services ({@code upload.<domain>}): every stanza to one of
     * them, or to a JID at it, goes to the service.
     */
    public DeliveryRules(DomainBareJid domain, SessionRegistry registry, AccountDirectory accounts,
                         MessageArchiving archiving, Predicate<DomainBareJid> hostedServices) {
        this(domain, registry, accounts, archiving, hostedServices, () -> false);
    }

    /**
     * The same, with {@code federation} telling whether the server talks to other domains (some process serves
     * {@link io.aviary.bus.Topics#S2S}): stanzas to any other domain go there; without it they bounce with
     * remote-server-not-found.
     */
    public DeliveryRules(DomainBareJid domain, SessionRegistry registry, AccountDirectory accounts,
                         MessageArchiving archiving, Predicate<DomainBareJid> hostedServices,
                         BooleanSupplier federation) {
        this.hostedServices = hostedServices;
        this.federation = federation;
        this.domain = domain;
        this.registry = registry;
        this.accounts = accounts;
        this.carbons = new CarbonCopies(domain, registry);
        this.archiving = archiving;
    }

    /** The routes of {@code stanza} with the archive records and the XEP-0280 carbon copies of a message. */
    public List<Route> route(Stanza stanza) {
        return route(stanza, null);
    }

    /** The same for a stanza the bus delivered as {@code publication} (null: none), which archive ids derive from. */
    public List<Route> route(Stanza stanza, String publication) {
        Stanza message = CarbonCopies.withoutPrivate(stanza);
        List<Route> routes = decide(message);
        if (archiving == null) {
            return carbons.withCopies(stanza, routes);
        }
        MessageArchiving.Archived archived = archiving.archive(message, routes, publication);
        // Carbons wrap the stamped message. One with <private/> (which archiving never sees) gets no copies (XEP-0280
        // §9), but carbons need the element to know it.
        List<Route> all = new ArrayList<>(carbons.withCopies(message == stanza ? archived.message() : stanza,
                archived.routes().stream().filter(route -> !(route instanceof Route.Archive)).toList()));
        // Archive records last: what the router publishes for a record gets ids by position (KafkaStanzaBus's derived
        // publications), so a router that routes the record again after a crash, and sees the archive service or not,
        // gives the deliveries the same ids and the gateway drops the second copies.
        archived.routes().stream().filter(Route.Archive.class::isInstance).forEach(all::add);
        return all;
    }

    /**
     * Whether {@code stanza} is available or unavailable presence to the bare JID of an account of this domain (a
     * contact's broadcast or the account's own, RFC 6121 §4.2.2, §4.4.2), of which the capabilities that ask for it
     * get a copy ({@link io.aviary.capability.Declaration#accountPresence()}): XEP-0163 PEP is such a watcher.
     */
    public boolean isPresenceToAccount(Stanza stanza) {
        if (!stanza.isPresence() || !(stanza.type() == null || "unavailable".equals(stanza.type()))) {
            return false;
        }
        try {
            Jid to = stanza.to();
            EntityBareJid account = to == null || to.hasResource() ? null : to.asEntityBareJidIfPossible();
            return account != null && account.getDomain().equals(domain)
                    && (!registry.sessions(account).isEmpty() || accounts.exists(account));
        } catch (XmppStringprepException e) {
            return false;
        }
    }

    private List<Route> decide(Stanza stanza) {
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
        if (hostedServices.test(to.asDomainBareJid())) {
            // A service of this server at an address of its own: it applies its own rules (rooms, nicknames, …).
            return List.of(new Route.ToService(stanza.element()));
        }
        if (!to.getDomain().equals(domain) && stanza.isPresence()
                && SUBSCRIPTION_TYPES.contains(typeOf(stanza, "available")) && !fromBareJid(stanza)) {
            // RFC 6121 §3.1.2: a user's subscription stanza to a contact elsewhere is first processed by the user's
            // server (its roster, the bare JID stamped); the service then sends it on from the bare JID.
            return List.of(new Route.ToService(stanza.element()));
        }
        if (!to.getDomain().equals(domain)) {
            // RFC 6120 §10.4: a remote domain. Without federation, §10.4.3 remote-server-not-found.
            return federation.getAsBoolean()
                    ? List.of(new Route.ToRemote(stanza.element(), to.getDomain().toString()))
                    : error(stanza, StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND);
        }
        EntityBareJid account = to.asEntityBareJidIfPossible();
        if (account == null) {
            // domain/resource: a service address we do not host.
            return error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        EntityFullJid fullJid = to.asEntityFullJidIfPossible();
        Optional<SessionEntry> session = fullJid == null ? Optional.empty() : registry.session(fullJid);
        // An account with a session exists; only the others cost a directory look-up.
        if (session.isEmpty() && registry.sessions(account).isEmpty() && !accounts.exists(account)) {
            if (fullJid == null && isDiscoItemsGet(stanza)) {
                // XEP-0030 §8 rule 2 overrides §8.5.1 here: "In response to a disco#items request, the server
                // MUST return an empty result set if ... the target entity does not exist", as for any account.
                return List.of(new Route.ToService(stanza.element()));
            }
            // RFC 6121 §8.5.1: no such account: presence is dropped, the rest gets service-unavailable.
            return stanza.isPresence()
                    ? List.of(new Route.Drop("presence to a nonexistent account"))
                    : error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        return fullJid != null ? routeToResource(stanza, fullJid, session) : routeToAccount(stanza, account);
    }

    /** RFC 6121 §8.5.3. */
    private List<Route> routeToResource(Stanza stanza, EntityFullJid to, Optional<SessionEntry> session) {
        if (stanza.isPresence()) {
            String type = typeOf(stanza, "available");
            if (type.equals("probe") || (SUBSCRIPTION_TYPES.contains(type) && !fromBareJid(stanza))) {
                // §8.5.3.1: subscription stanzas and probes to a full JID are processed as to the bare JID.
                return List.of(new Route.ToService(stanza.element()));
            }
            return session.<List<Route>>map(s -> List.of(new Route.Deliver(s, stanza.element())))
                    .orElse(List.of(new Route.Drop("presence to an unavailable resource"))); // §8.5.3.2.2
        }
        if (session.isPresent()) {
            return List.of(new Route.Deliver(session.get(), stanza.element()));
        }
        // §8.5.3.2: no such resource.
        if (stanza.isIq()) {
            return error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        // §8.5.3.2.1: only chat "SHOULD [be treated] as if it were addressed to the bare JID"; for normal,
        // groupchat and headline the server "MUST either (a) silently ignore the stanza or (b) return an error
        // stanza to the sender, which SHOULD be <service-unavailable/>"; an error is silently ignored.
        return switch (typeOf(stanza, "normal")) {
            case "chat" -> routeToAccount(stanza, to.asEntityBareJid());
            case "normal", "groupchat" -> error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            default -> List.of(new Route.Drop("headline or error to an unavailable resource"));
        };
    }

    /** RFC 6121 §8.5.2. */
    private List<Route> routeToAccount(Stanza stanza, EntityBareJid account) {
        if (stanza.isIq()) {
            // RFC 6120 §10.5.3.1 / RFC 6121 §8.5.2.1.3: the server answers IQs to a bare JID.
            return List.of(new Route.ToService(stanza.element()));
        }
        List<SessionEntry> available = registry.sessions(account).stream().filter(SessionEntry::available).toList();
        if (stanza.isPresence()) {
            String type = typeOf(stanza, "available");
            if (type.equals("probe") || SUBSCRIPTION_TYPES.contains(type)) {
                return List.of(new Route.ToService(stanza.element()));
            }
            // §8.5.2.1.2: to every available resource; §8.5.2.2.2: dropped when there is none.
            return deliverAll(available, stanza);
        }
        String type = typeOf(stanza, "normal");
        if (type.equals("error")) {
            return List.of(new Route.Drop("message error to a bare JID"));
        }
        if (type.equals("groupchat")) {
            return error(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        // §4.7.2.3: a resource with negative priority never gets messages sent to the bare JID.
        List<SessionEntry> reachable = available.stream().filter(s -> s.priority() >= 0).toList();
        if (reachable.isEmpty()) {
            // §8.5.2.2.1: headlines are dropped, normal and chat messages are stored offline.
            return type.equals("headline")
                    ? List.of(new Route.Drop("headline with no available resource"))
                    : List.of(new Route.ToService(stanza.element()));
        }
        if (type.equals("headline")) {
            return deliverAll(reachable, stanza); // §8.5.2.1.1: headlines go to all non-negative resources.
        }
        int highest = reachable.stream().mapToInt(SessionEntry::priority).max().orElseThrow();
        return deliverAll(reachable.stream().filter(s -> s.priority() == highest).toList(), stanza);
    }

    private static List<Route> deliverAll(List<SessionEntry> sessions, Stanza stanza) {
        return sessions.stream().<Route>map(s -> new Route.Deliver(s, stanza.element())).toList();
    }

    private EntityBareJid senderAccount(Stanza stanza) {
        try {
            Jid from = stanza.from();
            return from == null ? null : from.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private static boolean isDiscoItemsGet(Stanza stanza) {
        return stanza.isIq() && "get".equals(stanza.type())
                && stanza.payload().filter(query -> query.is("query", DISCO_ITEMS)).isPresent();
    }

    private static boolean fromBareJid(Stanza stanza) {
        try {
            Jid from = stanza.from();
            return from != null && !from.hasResource();
        } catch (XmppStringprepException e) {
            return false;
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
