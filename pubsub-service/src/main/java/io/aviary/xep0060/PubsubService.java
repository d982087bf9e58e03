package io.aviary.xep0060;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.service.OperatorRequests;
import io.aviary.service.ServiceHandler;
import io.aviary.service.StanzaKeys;
import io.aviary.xep0060.PubsubXml.PubsubException;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;

/**
 * The XEP-0060 service at {@code pubsub.<domain>}: nodes any account of the domain creates and owns; publishing by
 * owners and publishers; subscriptions under the node's access model ({@link NodeSubscriptions}); notifications to
 * the subscribed JIDs. Stanzas reach it keyed by the service's address, one at a time.
 */
public final class PubsubService implements ServiceHandler {

    private final HostedService service;
    private final String address;
    private final DomainBareJid domain;
    private final PubsubStore store;
    private final Consumer<XmlElement> sender;
    private final Clock clock;
    private final NodeSubscriptions subscriptions;

    public PubsubService(HostedService service, DomainBareJid domain, PubsubStore store, RosterContacts roster,
                         Consumer<XmlElement> sender, Clock clock) {
        this.service = service;
        this.address = service.address().toString();
        this.domain = domain;
        this.store = store;
        this.sender = sender;
        this.clock = clock;
        this.subscriptions = new NodeSubscriptions(address, store, roster, sender);
    }

    @Override
    public void handle(Stanza stanza, BusMessage delivery) {
        if (stanza.isMessage() && !stanza.isError()) {
            subscriptions.authorization(stanza);
            return;
        }
        if (!stanza.isIq() || !("get".equals(stanza.type()) || "set".equals(stanza.type()))) {
            return;
        }
        if (stanza.payload().isEmpty()) {
            sender.accept(stanza.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        Stanza answer = answer(stanza);
        sender.accept(answer.element());
        if ("set".equals(stanza.type()) && "result".equals(answer.type())) {
            lastItemOnSubscription(stanza.payload().orElseThrow());
        }
    }

    /** XEP-0060 §6.1.7: after the result of a subscription, the node's last item, unless configured never. */
    private void lastItemOnSubscription(XmlElement pubsub) {
        pubsub.child("subscribe", PubsubXml.NAMESPACE).ifPresent(subscribe -> store.node(address,
                subscribe.attributeOrNull("node")).ifPresent(node -> subscriptions.lastItem(node,
                subscribe.attributeOrNull("jid"))));
    }

    private Stanza answer(Stanza iq) {
        XmlElement payload = iq.payload().orElseThrow();
        boolean set = "set".equals(iq.type());
        String requester = StanzaKeys.bareOf(iq.fromAttribute());
        try {
            if (OperatorRequests.isFromServer(iq, domain)) {
                return operator(iq, payload, set);
            }
            if (!set && payload.is("query", DiscoInfo.INFO)) {
                return discoInfo(iq, payload.attributeOrNull("node"));
            }
            if (!set && payload.is("query", DiscoInfo.ITEMS)) {
                XmlElement.Builder items = XmlElement.builder("query", DiscoInfo.ITEMS);
                if (payload.attributeOrNull("node") == null) {
                    store.nodes(address).forEach(node -> items.child(XmlElement.builder("item", DiscoInfo.ITEMS)
                            .attribute("jid", address).attribute("node", node.node()).build()));
                }
                return iq.iqResult(items.build());
            }
            if (payload.is("pubsub", PubsubXml.NAMESPACE)) {
                for (XmlElement child : payload.elements().toList()) {
                    Stanza answer = switch (child.name()) {
                        case "create" -> set ? create(iq, requester, child, PubsubXml.options(payload, "configure"))
                                : null;
                        case "publish" -> set ? publish(iq, requester, child,
                                PubsubXml.options(payload, "publish-options")) : null;
                        case "retract" -> set ? retract(iq, requester, child) : null;
                        case "items" -> set ? null : items(iq, requester, child, payload.child("set", PubsubXml.RSM));
                        case "subscribe" -> set ? subscriptions.subscribe(iq, existing(PubsubXml.nodeName(child)),
                                requester, child, payload.child("options", PubsubXml.NAMESPACE)) : null;
                        case "unsubscribe" -> set ? subscriptions.unsubscribe(iq,
                                existing(PubsubXml.nodeName(child)), requester, child) : null;
                        case "options" -> subscriptions.options(iq, existing(PubsubXml.nodeName(child)), requester,
                                child, set);
                        case "subscriptions" -> set ? null : subscriptions.subscriptionsOf(iq, requester, child);
                        case "affiliations" -> set ? null : subscriptions.affiliationsOf(iq, requester, child);
                        default -> null;
                    };
                    if (answer != null) {
                        return answer;
                    }
                }
                return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
            }
            if (payload.is("pubsub", PubsubXml.OWNER)) {
                XmlElement child = payload.elements().findFirst()
                        .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
                PubsubNode node = owned(requester, PubsubXml.nodeName(child));
                return switch (child.name()) {
                    case "configure" -> set ? configure(iq, node, child) : iq.iqResult(
                            XmlElement.builder("pubsub", PubsubXml.OWNER).child(XmlElement.builder("configure",
                                    PubsubXml.OWNER).attribute("node", node.node())
                                    .child(PubsubXml.configForm(node.config())).build()).build());
                    case "delete" -> set ? delete(iq, node) : iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
                    case "purge" -> {
                        if (!set) {
                            yield iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
                        }
                        store.purge(address, node.node());
                        notifySubscribers(node, XmlElement.builder("purge", PubsubXml.EVENT)
                                .attribute("node", node.node()).build());
                        yield iq.iqResult(null);
                    }
                    case "affiliations" -> set ? affiliate(iq, node, child) : affiliations(iq, node);
                    case "subscriptions" -> set ? subscriptions.modify(iq, node, child)
                            : subscriptions.subscriptionsOfNode(iq, node);
                    default -> throw PubsubException.unsupported("config-node");
                };
            }
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        } catch (PubsubException e) {
            return e.reply(iq);
        }
    }

    /** The operators' requests (the admin API): every node with its figures ({@code <nodes/>}), a node deleted. */
    private Stanza operator(Stanza iq, XmlElement request, boolean set) throws PubsubException {
        if (!set && request.name().equals("nodes")) {
            XmlElement.Builder list = XmlElement.builder("nodes", OperatorRequests.NAMESPACE);
            for (PubsubNode node : store.nodes(address)) {
                list.child(XmlElement.builder("node", OperatorRequests.NAMESPACE).attribute("name", node.node())
                        .attribute("owner", node.owner())
                        .attribute("access-model", node.config().accessModel().value())
                        .attribute("items", Integer.toString(store.items(address, node.node(), -1).size()))
                        .attribute("subscribers", Integer.toString(store.subscribers(address, node.node()).size()))
                        .build());
            }
            return iq.iqResult(list.build());
        }
        if (set && request.name().equals("delete") && request.attributeOrNull("node") != null) {
            return delete(iq, existing(request.attributeOrNull("node")));
        }
        return iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
    }

    private Stanza discoInfo(Stanza iq, String nodeName) throws PubsubException {
        if (nodeName == null) {
            return iq.iqResult(service.discoInfo().toQuery(null));
        }
        existing(nodeName);
        return iq.iqResult(XmlElement.builder("query", DiscoInfo.INFO).attribute("node", nodeName)
                .child(XmlElement.builder("identity", DiscoInfo.INFO).attribute("category", "pubsub")
                        .attribute("type", "leaf").build())
                .child(XmlElement.builder("feature", DiscoInfo.INFO).attribute("var", PubsubXml.NAMESPACE).build())
                .build());
    }

    private PubsubNode existing(String nodeName) throws PubsubException {
        return store.node(address, nodeName)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null));
    }

    /** The node, if the requester owns it (XEP-0060 §8: forbidden otherwise). */
    private PubsubNode owned(String requester, String nodeName) throws PubsubException {
        PubsubNode node = existing(nodeName);
        if (subscriptions.affiliation(node, requester) != Affiliation.OWNER) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        return node;
    }

    /** XEP-0060 §8.1: accounts of the domain create nodes; an instant node when none is named. */
    private Stanza create(Stanza iq, String requester, XmlElement create, Map<String, List<String>> config)
            throws PubsubException {
        if (!requester.endsWith("@" + domain) || requester.indexOf('@') != requester.lastIndexOf('@')) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        String named = create.attributeOrNull("node");
        String nodeName = named == null || named.isEmpty() ? UUID.randomUUID().toString() : named;
        PubsubNode node = new PubsubNode(address, nodeName, requester,
                PubsubXml.apply(NodeConfig.SERVICE_DEFAULT, config));
        if (!store.createNode(node)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, null);
        }
        store.affiliate(address, nodeName, requester, Affiliation.OWNER);
        return iq.iqResult(named != null && !named.isEmpty() ? null : XmlElement.builder("pubsub", PubsubXml.NAMESPACE)
                .child(XmlElement.builder("create", PubsubXml.NAMESPACE).attribute("node", nodeName).build()).build());
    }

    /** XEP-0060 §7.1: owners and publishers publish (publish model {@code publishers}). */
    private Stanza publish(Stanza iq, String requester, XmlElement publish, Map<String, List<String>> options)
            throws PubsubException {
        PubsubNode node = existing(PubsubXml.nodeName(publish));
        Affiliation affiliation = subscriptions.affiliation(node, requester);
        if (affiliation != Affiliation.OWNER && affiliation != Affiliation.PUBLISHER) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        if (!PubsubXml.meets(node.config(), options)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, "precondition-not-met");
        }
        PublishedItem item = PubsubXml.publishedItem(publish, requester, clock.instant());
        if (node.config().persistItems()) {
            store.publish(address, node.node(), item, node.config().maxItems());
        }
        notifySubscribers(node, PubsubXml.publishEvent(node.node(), item));
        return iq.iqResult(PubsubXml.published(node.node(), item.id()));
    }

    private Stanza retract(Stanza iq, String requester, XmlElement retract) throws PubsubException {
        PubsubNode node = existing(PubsubXml.nodeName(retract));
        Affiliation affiliation = subscriptions.affiliation(node, requester);
        if (affiliation != Affiliation.OWNER && affiliation != Affiliation.PUBLISHER) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        List<String> ids = PubsubXml.itemIds(retract);
        for (String id : ids) {
            if (!store.retract(address, node.node(), id)) {
                throw new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null);
            }
        }
        if (PubsubXml.notifies(retract)) {
            notifySubscribers(node, PubsubXml.retractEvent(node.node(), ids));
        }
        return iq.iqResult(null);
    }

    private Stanza items(Stanza iq, String requester, XmlElement items, Optional<XmlElement> page)
            throws PubsubException {
        PubsubNode node = existing(PubsubXml.nodeName(items));
        subscriptions.checkAccess(node, requester);
        return iq.iqResult(PubsubXml.items(store, address, node.node(), items, page));
    }

    private Stanza configure(Stanza iq, PubsubNode node, XmlElement configure) throws PubsubException {
        XmlElement form = PubsubXml.form(configure)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
        if (!"cancel".equals(form.attributeOrNull("type"))) {
            store.configure(address, node.node(), PubsubXml.apply(node.config(), PubsubXml.fields(form)));
        }
        return iq.iqResult(null);
    }

    private Stanza delete(Stanza iq, PubsubNode node) {
        deleteNode(node);
        return iq.iqResult(null);
    }

    /** XEP-0060 §8.4: the node goes, and its subscribers are told. */
    private void deleteNode(PubsubNode node) {
        List<String> subscribers = store.subscribers(address, node.node());
        store.deleteNode(address, node.node());
        XmlElement event = XmlElement.builder("delete", PubsubXml.EVENT).attribute("node", node.node()).build();
        subscribers.forEach(to -> sender.accept(PubsubXml.eventMessage(address, to, event)));
    }

    /**
     * An account of the domain was removed: its subscriptions (bare and full JIDs) and affiliations go, and a node it
     * was the only owner of is deleted, its subscribers told; a node with other owners stays theirs.
     */
    public void accountRemoved(String account) {
        store.subscriptionsOf(address, account)
                .forEach(subscription -> store.unsubscribe(address, subscription.node(), subscription.jid()));
        store.affiliationsOf(address, account).forEach((nodeName, affiliation) -> {
            long owners = store.affiliations(address, nodeName).values().stream()
                    .filter(Affiliation.OWNER::equals).count();
            Optional<PubsubNode> node = store.node(address, nodeName);
            if (affiliation == Affiliation.OWNER && owners == 1 && node.isPresent()) {
                deleteNode(node.get());
            } else {
                store.affiliate(address, nodeName, account, Affiliation.NONE);
            }
        });
    }

    private Stanza affiliations(Stanza iq, PubsubNode node) {
        XmlElement.Builder list = XmlElement.builder("affiliations", PubsubXml.OWNER).attribute("node", node.node());
        store.affiliations(address, node.node()).forEach((jid, affiliation) -> list.child(
                XmlElement.builder("affiliation", PubsubXml.OWNER).attribute("jid", jid)
                        .attribute("affiliation", affiliation.value()).build()));
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.OWNER).child(list.build()).build());
    }

    /** XEP-0060 §8.9.2: the owner sets affiliations; the owner's own cannot be taken away here. */
    private Stanza affiliate(Stanza iq, PubsubNode node, XmlElement affiliations) throws PubsubException {
        for (XmlElement entry : affiliations.elements().filter(e -> e.is("affiliation", PubsubXml.OWNER)).toList()) {
            String jid = StanzaKeys.bareOf(entry.attributeOrNull("jid"));
            Affiliation affiliation = Affiliation.parse(entry.attributeOrNull("affiliation"))
                    .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
            if (jid.isEmpty() || jid.equals(node.owner())) {
                throw new PubsubException(StanzaErrorCondition.NOT_ACCEPTABLE, null);
            }
            store.affiliate(address, node.node(), jid, affiliation);
            subscriptions.affiliationChanged(node, jid, affiliation);
        }
        return iq.iqResult(null);
    }

    private void notifySubscribers(PubsubNode node, XmlElement event) {
        for (String subscriber : store.subscribers(address, node.node())) {
            sender.accept(PubsubXml.eventMessage(address, subscriber, event));
        }
    }
}
