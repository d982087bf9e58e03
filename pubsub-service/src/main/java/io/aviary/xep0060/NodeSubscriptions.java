package io.aviary.xep0060;

import io.aviary.service.StanzaKeys;
import io.aviary.xep0060.PubsubXml.PubsubException;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Subscriptions at {@code pubsub.<domain>}: who may subscribe under each access model (XEP-0060 §6.1.3), pending
 * subscriptions an owner authorizes (§6.1.3.2, §8.6), subscription options (§6.3), an entity's subscriptions and
 * affiliations (§5.6, §5.7) and the owner's management of a node's subscriptions (§8.8). Subscriptions are keyed by
 * the JID as the subscriber gave it, bare or full; this service hands out no subscription ids (one subscription per
 * JID and node).
 */
final class NodeSubscriptions {

    static final String SUBSCRIBE_OPTIONS = PubsubXml.NAMESPACE + "#subscribe_options";
    static final String SUBSCRIBE_AUTHORIZATION = PubsubXml.NAMESPACE + "#subscribe_authorization";
    static final String DELIVER = "pubsub#deliver";
    static final String NODE = "pubsub#node";
    static final String SUBSCRIBER = "pubsub#subscriber_jid";
    static final String ALLOW = "pubsub#allow";

    private final String address;
    private final PubsubStore store;
    private final RosterContacts roster;
    private final Consumer<XmlElement> sender;

    NodeSubscriptions(String address, PubsubStore store, RosterContacts roster, Consumer<XmlElement> sender) {
        this.address = address;
        this.store = store;
        this.roster = roster;
        this.sender = sender;
    }

    Affiliation affiliation(PubsubNode node, String bareJid) {
        return store.affiliations(address, node.node()).getOrDefault(bareJid, Affiliation.NONE);
    }

    /**
     * Whether the requester may retrieve items (XEP-0060 §6.5.9, §6.1.3 for subscribing): outcasts never (forbidden);
     * the node's owners, publishers and members always; then the access model: open; presence (a subscription to the
     * owner's presence, else not-authorized with presence-subscription-required); roster (on the owner's roster, else
     * not-authorized with not-in-roster-group; in one of {@code pubsub#roster_groups_allowed} when the node names
     * some); whitelist (not-allowed with closed-node);
     * authorize (an approved subscription, else not-authorized with not-subscribed).
     */
    void checkAccess(PubsubNode node, String requester) throws PubsubException {
        if (!admitted(node, requester) && !subscribed(node, requester)) {
            throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "not-subscribed");
        }
    }

    /** As {@link #checkAccess} for everything but the authorize model, where it says whether approval is needed. */
    private boolean admitted(PubsubNode node, String requester) throws PubsubException {
        Affiliation affiliation = affiliation(node, requester);
        if (affiliation == Affiliation.OUTCAST) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        if (affiliation != Affiliation.NONE) {
            return true;
        }
        return switch (node.config().accessModel()) {
            case OPEN -> true;
            case PRESENCE -> {
                if (!roster.receivesPresence(node.owner(), requester)) {
                    throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "presence-subscription-required");
                }
                yield true;
            }
            case ROSTER -> {
                if (!roster.inRoster(node.owner(), requester, node.config().rosterGroups())) {
                    throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "not-in-roster-group");
                }
                yield true;
            }
            case WHITELIST -> throw new PubsubException(StanzaErrorCondition.NOT_ALLOWED, "closed-node");
            case AUTHORIZE -> false;
        };
    }

    private boolean subscribed(PubsubNode node, String bareJid) {
        return store.subscriptions(address, node.node()).stream()
                .anyMatch(s -> s.state() == SubscriptionState.SUBSCRIBED && StanzaKeys.bareOf(s.jid()).equals(bareJid));
    }

    private Optional<Subscription> subscription(PubsubNode node, String jid) {
        return store.subscriptions(address, node.node()).stream().filter(s -> s.jid().equals(jid)).findFirst();
    }

    /**
     * XEP-0060 §6.1: subscribes the requester's bare or full JID, with the options of a {@code <options/>} beside the
     * request (§6.3.7). Under the authorize model a subscription waits for an owner, who is asked by a message (§8.6).
     */
    Stanza subscribe(Stanza iq, PubsubNode node, String requester, XmlElement subscribe, Optional<XmlElement> options)
            throws PubsubException {
        String jid = ownJid(subscribe, requester, StanzaErrorCondition.BAD_REQUEST);
        Optional<Subscription> existing = subscription(node, jid);
        boolean needsApproval = !admitted(node, requester);
        if (needsApproval && existing.filter(s -> s.state() == SubscriptionState.PENDING).isPresent()) {
            throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "pending-subscription");
        }
        SubscriptionState state = needsApproval
                && existing.filter(s -> s.state() == SubscriptionState.SUBSCRIBED).isEmpty()
                ? SubscriptionState.PENDING : SubscriptionState.SUBSCRIBED;
        Subscription subscription = existing.orElse(Subscription.of(node.node(), jid, state)).withState(state);
        if (options.isPresent()) {
            subscription = configured(subscription, options.get());
        }
        store.subscribe(address, subscription);
        if (state == SubscriptionState.PENDING) {
            askOwners(node, jid);
        }
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.NAMESPACE)
                .child(subscriptionElement(subscription, PubsubXml.NAMESPACE)).build());
    }

    /** XEP-0060 §6.2: ends the requester's subscription, pending or approved. */
    Stanza unsubscribe(Stanza iq, PubsubNode node, String requester, XmlElement unsubscribe) throws PubsubException {
        String jid = ownJid(unsubscribe, requester, StanzaErrorCondition.BAD_REQUEST);
        if (!store.unsubscribe(address, node.node(), jid)) {
            throw new PubsubException(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed");
        }
        return iq.iqResult(null);
    }

    /**
     * The JID a request names, which must be the requester's own, bare or full (§6.1.3.1: bad-request with
     * invalid-jid; §6.3.4.2: forbidden for another's options); jid-required when it names none.
     */
    private static String ownJid(XmlElement request, String requester, StanzaErrorCondition otherwise)
            throws PubsubException {
        String jid = request.attributeOrNull("jid");
        if (jid == null || jid.isEmpty()) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "jid-required");
        }
        if (!StanzaKeys.bareOf(jid).equals(requester)) {
            throw new PubsubException(otherwise, otherwise == StanzaErrorCondition.BAD_REQUEST ? "invalid-jid" : null);
        }
        return jid;
    }

    /** XEP-0060 §6.3: a subscriber's options form ({@code get}) or its submission ({@code set}). */
    Stanza options(Stanza iq, PubsubNode node, String requester, XmlElement request, boolean set)
            throws PubsubException {
        String jid = ownJid(request, requester, StanzaErrorCondition.FORBIDDEN);
        Subscription subscription = subscription(node, jid)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.UNEXPECTED_REQUEST, "not-subscribed"));
        if (set) {
            store.subscribe(address, configured(subscription, request));
            return iq.iqResult(null);
        }
        XmlElement form = XmlElement.builder("x", PubsubXml.DATA_FORMS).attribute("type", "form")
                .child(PubsubXml.field("FORM_TYPE", "hidden", SUBSCRIBE_OPTIONS))
                .child(PubsubXml.field(DELIVER, "boolean", subscription.deliver() ? "1" : "0"))
                .build();
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.NAMESPACE)
                .child(XmlElement.builder("options", PubsubXml.NAMESPACE).attribute("node", node.node())
                        .attribute("jid", jid).child(form).build())
                .build());
    }

    /**
     * The subscription with a submitted options form applied. §6.3.5: fields this service does not offer make the
     * options invalid (bad-request with invalid-options); a cancelled form changes nothing.
     */
    private static Subscription configured(Subscription subscription, XmlElement options) throws PubsubException {
        Optional<XmlElement> form = PubsubXml.form(options);
        if (form.isEmpty() || "cancel".equals(form.get().attributeOrNull("type"))) {
            return subscription;
        }
        Subscription result = subscription;
        for (Map.Entry<String, List<String>> field : PubsubXml.fields(form.get()).entrySet()) {
            String value = field.getValue().isEmpty() ? "" : field.getValue().get(0).strip();
            switch (field.getKey()) {
                case "FORM_TYPE" -> {
                    if (!value.equals(SUBSCRIBE_OPTIONS)) {
                        throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "invalid-options");
                    }
                }
                case DELIVER -> {
                    try {
                        result = result.withDeliver(PubsubXml.bool(value));
                    } catch (PubsubException e) {
                        throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "invalid-options");
                    }
                }
                default -> throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "invalid-options");
            }
        }
        return result;
    }

    /** XEP-0060 §5.6: the requester's subscriptions at the service, or at one node. */
    Stanza subscriptionsOf(Stanza iq, String requester, XmlElement request) {
        String only = request.attributeOrNull("node");
        XmlElement.Builder list = XmlElement.builder("subscriptions", PubsubXml.NAMESPACE);
        if (only != null) {
            list.attribute("node", only);
        }
        store.subscriptionsOf(address, requester).stream().filter(s -> only == null || s.node().equals(only))
                .forEach(s -> list.child(subscriptionElement(s, PubsubXml.NAMESPACE)));
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.NAMESPACE).child(list.build()).build());
    }

    /** XEP-0060 §5.7: the requester's affiliations at the service, or with one node. */
    Stanza affiliationsOf(Stanza iq, String requester, XmlElement request) {
        String only = request.attributeOrNull("node");
        XmlElement.Builder list = XmlElement.builder("affiliations", PubsubXml.NAMESPACE);
        if (only != null) {
            list.attribute("node", only);
        }
        store.affiliationsOf(address, requester).forEach((node, affiliation) -> {
            if (only == null || node.equals(only)) {
                list.child(XmlElement.builder("affiliation", PubsubXml.NAMESPACE).attribute("node", node)
                        .attribute("affiliation", affiliation.value()).build());
            }
        });
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.NAMESPACE).child(list.build()).build());
    }

    /** XEP-0060 §8.8.1: every subscription to the owner's node, pending ones included. */
    Stanza subscriptionsOfNode(Stanza iq, PubsubNode node) {
        XmlElement.Builder list = XmlElement.builder("subscriptions", PubsubXml.OWNER).attribute("node", node.node());
        store.subscriptions(address, node.node()).forEach(s -> list.child(subscriptionElement(s, PubsubXml.OWNER)));
        return iq.iqResult(XmlElement.builder("pubsub", PubsubXml.OWNER).child(list.build()).build());
    }

    /**
     * XEP-0060 §8.8.2: the owner sets subscriptions ({@code none} removes one); a subscriber whose subscription was
     * approved or ended this way is told (§8.8.4 allows it, and a pending subscriber has no other way to learn it).
     */
    Stanza modify(Stanza iq, PubsubNode node, XmlElement subscriptions) throws PubsubException {
        List<XmlElement> entries = subscriptions.elements().filter(e -> e.is("subscription", PubsubXml.OWNER))
                .toList();
        for (XmlElement entry : entries) {
            String jid = entry.attributeOrNull("jid");
            String value = entry.attributeOrNull("subscription");
            if (jid == null || jid.isEmpty() || value == null
                    || !value.equals("none") && SubscriptionState.parse(value).isEmpty()) {
                throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, null);
            }
        }
        for (XmlElement entry : entries) {
            decide(node, entry.attributeOrNull("jid"), SubscriptionState.parse(entry.attributeOrNull("subscription")));
        }
        return iq.iqResult(null);
    }

    /**
     * XEP-0060 §8.6: an owner's answer to an authorization request, a submitted {@code subscribe_authorization} form
     * in a message. Answers from anyone else are refused; an answer about a subscription no longer pending (another
     * owner answered first) changes nothing.
     */
    void authorization(Stanza message) {
        Optional<XmlElement> form = message.element().child("x", PubsubXml.DATA_FORMS);
        if (form.isEmpty() || !"submit".equals(form.get().attributeOrNull("type"))) {
            return;
        }
        Map<String, List<String>> fields = PubsubXml.fields(form.get());
        if (!SUBSCRIBE_AUTHORIZATION.equals(PubsubXml.single(fields, "FORM_TYPE"))) {
            return;
        }
        String nodeName = PubsubXml.single(fields, NODE);
        String jid = PubsubXml.single(fields, SUBSCRIBER);
        Optional<PubsubNode> node = nodeName == null ? Optional.empty() : store.node(address, nodeName);
        if (node.isEmpty() || jid == null) {
            sender.accept(message.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
            return;
        }
        if (affiliation(node.get(), StanzaKeys.bareOf(message.fromAttribute())) != Affiliation.OWNER) {
            sender.accept(message.errorReply(StanzaErrorCondition.FORBIDDEN).element());
            return;
        }
        boolean allow;
        try {
            allow = PubsubXml.bool(String.valueOf(PubsubXml.single(fields, ALLOW)));
        } catch (PubsubException e) {
            sender.accept(message.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        if (subscription(node.get(), jid).filter(s -> s.state() == SubscriptionState.PENDING).isPresent()) {
            decide(node.get(), jid, allow ? Optional.of(SubscriptionState.SUBSCRIBED) : Optional.empty());
        }
    }

    /** Sets (or with none, removes) a subscription, telling the subscriber when it was pending or is approved. */
    private void decide(PubsubNode node, String jid, Optional<SubscriptionState> state) {
        Optional<SubscriptionState> before = subscription(node, jid).map(Subscription::state);
        if (state.isEmpty()) {
            store.unsubscribe(address, node.node(), jid);
        } else {
            store.subscribe(address, subscription(node, jid).orElse(Subscription.of(node.node(), jid, state.get()))
                    .withState(state.get()));
        }
        boolean approved = state.equals(Optional.of(SubscriptionState.SUBSCRIBED))
                && !before.equals(Optional.of(SubscriptionState.SUBSCRIBED));
        boolean denied = state.isEmpty() && before.equals(Optional.of(SubscriptionState.PENDING));
        if (approved || denied) {
            // §8.6 (examples "Subscription approval notification" and "… denial notification"): a message of the
            // normal type, so that a subscriber who is offline finds it in offline storage.
            sender.accept(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", address)
                    .attribute("to", jid).attribute("id", UUID.randomUUID().toString())
                    .child(XmlElement.builder("event", PubsubXml.EVENT).child(XmlElement.builder("subscription",
                                    PubsubXml.EVENT).attribute("node", node.node()).attribute("jid", jid)
                            .attribute("subscription", approved ? "subscribed" : "none").build()).build())
                    .build());
        }
        if (approved) {
            lastItem(node, jid);
        }
    }

    /** §6.1.7: the node's last item to a JID that just became subscribed, unless the node says never. */
    void lastItem(PubsubNode node, String jid) {
        if (node.config().sendLast() == SendLastPublishedItem.NEVER
                || subscription(node, jid).filter(Subscription::receivesEvents).isEmpty()) {
            return;
        }
        store.items(address, node.node(), 1).stream().findFirst()
                .ifPresent(item -> sender.accept(PubsubXml.lastItemMessage(address, jid, node.node(), item)));
    }

    /** §8.6.1: each owner is sent the authorization form for a pending subscription. */
    private void askOwners(PubsubNode node, String jid) {
        XmlElement form = XmlElement.builder("x", PubsubXml.DATA_FORMS).attribute("type", "form")
                .textChild("title", "PubSub subscriber request")
                .textChild("instructions", "To approve this entity's subscription request, submit the form with "
                        + "pubsub#allow true. To deny it, submit it with false.")
                .child(PubsubXml.field("FORM_TYPE", "hidden", SUBSCRIBE_AUTHORIZATION))
                .child(PubsubXml.field(NODE, "text-single", node.node()))
                .child(PubsubXml.field(SUBSCRIBER, "jid-single", jid))
                .child(PubsubXml.field(ALLOW, "boolean", "false"))
                .build();
        store.affiliations(address, node.node()).forEach((owner, affiliation) -> {
            if (affiliation == Affiliation.OWNER) {
                sender.accept(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", address)
                        .attribute("to", owner).attribute("id", UUID.randomUUID().toString()).child(form).build());
            }
        });
    }

    /**
     * After an owner changed a JID's affiliation (XEP-0060 §8.7, note): a pending subscription of someone who may now
     * subscribe is approved; every subscription of an outcast ends (§8.9.2.4: outcasts cannot be subscribed), and a
     * pending one is told it was denied.
     */
    void affiliationChanged(PubsubNode node, String bareJid, Affiliation affiliation) {
        for (Subscription subscription : store.subscriptions(address, node.node())) {
            if (!StanzaKeys.bareOf(subscription.jid()).equals(bareJid)) {
                continue;
            }
            if (affiliation == Affiliation.OUTCAST) {
                decide(node, subscription.jid(), Optional.empty());
            } else if (affiliation != Affiliation.NONE && subscription.state() == SubscriptionState.PENDING) {
                decide(node, subscription.jid(), Optional.of(SubscriptionState.SUBSCRIBED));
            }
        }
    }

    private static XmlElement subscriptionElement(Subscription subscription, String namespace) {
        XmlElement.Builder element = XmlElement.builder("subscription", namespace);
        if (namespace.equals(PubsubXml.NAMESPACE)) {
            element.attribute("node", subscription.node());
        }
        return element.attribute("jid", subscription.jid()).attribute("subscription", subscription.state().value())
                .build();
    }
}
