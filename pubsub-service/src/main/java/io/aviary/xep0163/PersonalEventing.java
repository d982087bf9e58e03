package io.aviary.xep0163;

import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xep0060.Affiliation;
import io.aviary.xep0060.NodeConfig;
import io.aviary.xep0060.PublishedItem;
import io.aviary.xep0060.PubsubNode;
import io.aviary.xep0060.PubsubStore;
import io.aviary.xep0060.PubsubXml;
import io.aviary.xep0060.PubsubXml.PubsubException;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0163 personal eventing: every account's bare JID is a publish-subscribe service of its own. Requests reach
 * it keyed by the account (the router's key for an IQ to a bare JID or without {@code to}), so one account's changes
 * are applied one at a time.
 *
 * <p>Notifications go as headline messages from the account's bare JID to the account's bare JID and to each contact
 * with a presence subscription (from or both) the node's access model admits; the router delivers a headline to a
 * bare JID to every available resource (RFC 6121 §8.5.2.1.1). Simplification: clients' XEP-0115 {@code +notify}
 * features are not consulted, so every available resource of such a contact gets the event.
 */
public final class PersonalEventing {

    private final DomainBareJid domain;
    private final PubsubStore store;
    private final RosterContacts roster;
    private final Consumer<XmlElement> sender;
    private final Clock clock;

    public PersonalEventing(DomainBareJid domain, PubsubStore store, RosterContacts roster,
                            Consumer<XmlElement> sender, Clock clock) {
        this.domain = domain;
        this.store = store;
        this.roster = roster;
        this.sender = sender;
        this.clock = clock;
    }

    /** The handler of {@code http://jabber.org/protocol/pubsub}. */
    public IqHandler pubsub() {
        return handler(PubsubXml.NAMESPACE);
    }

    /** The handler of {@code http://jabber.org/protocol/pubsub#owner}. */
    public IqHandler owner() {
        return handler(PubsubXml.OWNER);
    }

    private IqHandler handler(String namespace) {
        return new IqHandler() {
            @Override
            public String namespace() {
                return namespace;
            }

            @Override
            public Stanza handle(Stanza iq) {
                return PersonalEventing.this.handle(iq);
            }
        };
    }

    /** The account's PEP service is gone with the account. */
    public void accountRemoved(String account) {
        store.removeService(account);
    }

    Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null || address.requester() == null) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        if (address.toServer()) {
            // The domain itself is no pubsub service: that is pubsub.<domain>.
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        Request request = new Request(iq, address.account().toString(), address.requester().toString());
        XmlElement pubsub = iq.payload().orElseThrow();
        boolean set = "set".equals(iq.type());
        try {
            if (pubsub.is("pubsub", PubsubXml.NAMESPACE)) {
                for (XmlElement child : pubsub.elements().toList()) {
                    switch (child.name()) {
                        case "publish" -> {
                            if (set) {
                                return publish(request, child, pubsub.child("publish-options", PubsubXml.NAMESPACE)
                                        .flatMap(PubsubXml::form).map(PubsubXml::fields).orElse(Map.of()));
                            }
                        }
                        case "items" -> {
                            if (!set) {
                                return items(request, child);
                            }
                        }
                        case "retract" -> {
                            if (set) {
                                return retract(request, child);
                            }
                        }
                        case "create" -> {
                            if (set) {
                                return create(request, child, pubsub.child("configure", PubsubXml.NAMESPACE)
                                        .flatMap(PubsubXml::form).map(PubsubXml::fields).orElse(Map.of()));
                            }
                        }
                        case "subscribe", "unsubscribe", "subscriptions", "options" ->
                                throw PubsubException.unsupported("subscribe");
                        default -> {
                            // publish-options and configure accompany publish and create
                        }
                    }
                }
            } else if (pubsub.is("pubsub", PubsubXml.OWNER)) {
                for (XmlElement child : pubsub.elements().toList()) {
                    switch (child.name()) {
                        case "configure" -> {
                            return set ? configure(request, child) : configuration(request, child);
                        }
                        case "delete" -> {
                            if (set) {
                                return delete(request, child);
                            }
                        }
                        case "purge" -> {
                            if (set) {
                                return purge(request, child);
                            }
                        }
                        default -> throw PubsubException.unsupported("config-node");
                    }
                }
            }
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        } catch (PubsubException e) {
            return e.reply(iq);
        }
    }

    /** A request to one account's service. */
    private record Request(Stanza iq, String service, String requester) {
        boolean byOwner() {
            return service.equals(requester);
        }
    }

    private static String nodeName(XmlElement element) throws PubsubException {
        String node = element.attributeOrNull("node");
        if (node == null || node.isEmpty()) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "nodeid-required");
        }
        return node;
    }

    private static void requireOwner(Request request) throws PubsubException {
        if (!request.byOwner()) {
            // XEP-0163 §3: only the account publishes to and manages its own nodes.
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
    }

    private PubsubNode existing(Request request, String node) throws PubsubException {
        return store.node(request.service(), node)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null));
    }

    /** XEP-0163 §3 with publish-options, XEP-0060 §7.1.5: auto-create, or check the preconditions. */
    private Stanza publish(Request request, XmlElement publish, Map<String, List<String>> options)
            throws PubsubException {
        requireOwner(request);
        String nodeName = nodeName(publish);
        List<XmlElement> items = publish.elements().filter(e -> e.is("item", PubsubXml.NAMESPACE)).toList();
        if (items.size() > 1) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "invalid-payload");
        }
        XmlElement itemElement = items.isEmpty() ? null : items.get(0);
        List<XmlElement> payloads = itemElement == null ? List.of() : itemElement.elements().toList();
        if (payloads.size() != 1) {
            // XEP-0060 §7.1.3.6/7: a PEP node is a persistent payload node, so exactly one payload.
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST,
                    payloads.isEmpty() ? "payload-required" : "invalid-payload");
        }
        PubsubNode node = store.node(request.service(), nodeName).orElse(null);
        if (node == null) {
            node = new PubsubNode(request.service(), nodeName, request.service(),
                    PubsubXml.apply(NodeConfig.PEP_DEFAULT, options));
            store.createNode(node);
            store.affiliate(request.service(), nodeName, request.service(), Affiliation.OWNER);
        } else if (!PubsubXml.meets(node.config(), options)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, "precondition-not-met");
        }
        String id = itemElement.attributeOrNull("id");
        if (id == null || id.isEmpty()) {
            id = UUID.randomUUID().toString();
        }
        PublishedItem item = new PublishedItem(id, request.requester(), payloads.get(0).toXml(), clock.instant());
        if (node.config().persistItems()) {
            store.publish(request.service(), nodeName, item, node.config().maxItems());
        }
        notify(node, XmlElement.builder("items", PubsubXml.EVENT).attribute("node", nodeName)
                .child(PubsubXml.item(item, PubsubXml.EVENT)).build());
        XmlElement result = XmlElement.builder("pubsub", PubsubXml.NAMESPACE)
                .child(XmlElement.builder("publish", PubsubXml.NAMESPACE).attribute("node", nodeName)
                        .child(XmlElement.builder("item", PubsubXml.NAMESPACE).attribute("id", id).build())
                        .build())
                .build();
        return request.iq().iqResult(result);
    }

    private Stanza create(Request request, XmlElement create, Map<String, List<String>> config)
            throws PubsubException {
        requireOwner(request);
        String nodeName = nodeName(create);
        PubsubNode node = new PubsubNode(request.service(), nodeName, request.service(),
                PubsubXml.apply(NodeConfig.PEP_DEFAULT, config));
        if (!store.createNode(node)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, null);
        }
        store.affiliate(request.service(), nodeName, request.service(), Affiliation.OWNER);
        return request.iq().iqResult(null);
    }

    /** XEP-0060 §6.5: all items, the newest {@code max_items}, or those asked by id. */
    private Stanza items(Request request, XmlElement items) throws PubsubException {
        String nodeName = nodeName(items);
        PubsubNode node = existing(request, nodeName);
        checkAccess(request, node);
        List<String> ids = items.elements().filter(e -> e.is("item", PubsubXml.NAMESPACE))
                .map(e -> e.attributeOrNull("id")).filter(id -> id != null).toList();
        List<PublishedItem> found;
        if (!ids.isEmpty()) {
            found = store.items(request.service(), nodeName, ids);
        } else {
            int max = -1;
            String maxItems = items.attributeOrNull("max_items");
            if (maxItems != null) {
                try {
                    max = Integer.parseInt(maxItems);
                } catch (NumberFormatException e) {
                    max = 0;
                }
                if (max <= 0) {
                    throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, null);
                }
            }
            found = store.items(request.service(), nodeName, max);
        }
        XmlElement.Builder answer = XmlElement.builder("items", PubsubXml.NAMESPACE).attribute("node", nodeName);
        found.forEach(item -> answer.child(PubsubXml.item(item, PubsubXml.NAMESPACE)));
        return request.iq().iqResult(XmlElement.builder("pubsub", PubsubXml.NAMESPACE).child(answer.build()).build());
    }

    /**
     * The access models as XEP-0060 §6.5.x gives their refusals: presence — not-authorized with
     * presence-subscription-required; roster — not-authorized with not-in-roster-group; whitelist (and authorize,
     * which PEP does not offer) — not-allowed with closed-node. Roster groups are not consulted: any contact the
     * owner's roster lists passes the roster model.
     */
    private void checkAccess(Request request, PubsubNode node) throws PubsubException {
        if (request.byOwner()) {
            return;
        }
        Affiliation affiliation = store.affiliations(request.service(), node.node()).get(request.requester());
        if (affiliation == Affiliation.OUTCAST) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        if (affiliation == Affiliation.MEMBER || affiliation == Affiliation.PUBLISHER
                || affiliation == Affiliation.OWNER) {
            return;
        }
        switch (node.config().accessModel()) {
            case OPEN -> {
            }
            case PRESENCE -> {
                if (!roster.receivesPresence(request.service(), request.requester())) {
                    throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "presence-subscription-required");
                }
            }
            case ROSTER -> {
                if (!roster.inRoster(request.service(), request.requester())) {
                    throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "not-in-roster-group");
                }
            }
            case WHITELIST, AUTHORIZE -> throw new PubsubException(StanzaErrorCondition.NOT_ALLOWED, "closed-node");
        }
    }

    /** XEP-0060 §7.2, with a retract notification when asked ({@code notify} true or 1). */
    private Stanza retract(Request request, XmlElement retract) throws PubsubException {
        requireOwner(request);
        String nodeName = nodeName(retract);
        PubsubNode node = existing(request, nodeName);
        List<String> ids = retract.elements().filter(e -> e.is("item", PubsubXml.NAMESPACE))
                .map(e -> e.attributeOrNull("id")).filter(id -> id != null && !id.isEmpty()).toList();
        if (ids.isEmpty()) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "item-required");
        }
        for (String id : ids) {
            if (!store.retract(request.service(), nodeName, id)) {
                throw new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null);
            }
        }
        String notifyFlag = retract.attributeOrNull("notify");
        if ("true".equals(notifyFlag) || "1".equals(notifyFlag)) {
            XmlElement.Builder event = XmlElement.builder("items", PubsubXml.EVENT).attribute("node", nodeName);
            ids.forEach(id -> event.child(XmlElement.builder("retract", PubsubXml.EVENT).attribute("id", id).build()));
            notify(node, event.build());
        }
        return request.iq().iqResult(null);
    }

    private Stanza configuration(Request request, XmlElement configure) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, nodeName(configure));
        XmlElement answer = XmlElement.builder("configure", PubsubXml.OWNER).attribute("node", node.node())
                .child(PubsubXml.configForm(node.config())).build();
        return request.iq().iqResult(XmlElement.builder("pubsub", PubsubXml.OWNER).child(answer).build());
    }

    private Stanza configure(Request request, XmlElement configure) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, nodeName(configure));
        XmlElement form = PubsubXml.form(configure)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
        if (!"cancel".equals(form.attributeOrNull("type"))) {
            store.configure(request.service(), node.node(), PubsubXml.apply(node.config(), PubsubXml.fields(form)));
        }
        return request.iq().iqResult(null);
    }

    private Stanza delete(Request request, XmlElement delete) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, nodeName(delete));
        List<String> recipients = recipients(node);
        store.deleteNode(request.service(), node.node());
        XmlElement event = XmlElement.builder("delete", PubsubXml.EVENT).attribute("node", node.node()).build();
        recipients.forEach(to -> sender.accept(PubsubXml.eventMessage(node.service(), to, event)));
        return request.iq().iqResult(null);
    }

    private Stanza purge(Request request, XmlElement purge) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, nodeName(purge));
        store.purge(request.service(), node.node());
        notify(node, XmlElement.builder("purge", PubsubXml.EVENT).attribute("node", node.node()).build());
        return request.iq().iqResult(null);
    }

    private void notify(PubsubNode node, XmlElement event) {
        for (String to : recipients(node)) {
            sender.accept(PubsubXml.eventMessage(node.service(), to, event));
        }
    }

    /**
     * The owner, and the contacts with a presence subscription the access model admits (XEP-0163 §4.3.2: open and
     * presence nodes notify them; roster nodes those the roster lists; whitelist nodes its members).
     */
    private List<String> recipients(PubsubNode node) {
        Set<String> recipients = new LinkedHashSet<>();
        recipients.add(node.service());
        Map<String, Affiliation> affiliations = store.affiliations(node.service(), node.node());
        for (String contact : roster.presenceSubscribers(node.service())) {
            Affiliation affiliation = affiliations.getOrDefault(contact, Affiliation.NONE);
            boolean admitted = switch (node.config().accessModel()) {
                case OPEN, PRESENCE, ROSTER -> affiliation != Affiliation.OUTCAST;
                case WHITELIST, AUTHORIZE -> affiliation == Affiliation.MEMBER || affiliation == Affiliation.PUBLISHER;
            };
            if (admitted) {
                recipients.add(contact);
            }
        }
        return new ArrayList<>(recipients);
    }
}
