package io.aviary.xep0163;

import io.aviary.bus.Topics;
import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.service.PresenceHandler;
import io.aviary.service.StanzaKeys;
import io.aviary.xep0060.Affiliation;
import io.aviary.xep0060.NodeConfig;
import io.aviary.xep0060.PublishedItem;
import io.aviary.xep0060.PubsubNode;
import io.aviary.xep0060.PubsubStore;
import io.aviary.xep0060.PubsubXml.PubsubException;
import io.aviary.xep0060.PubsubXml;
import io.aviary.xep0060.RosterContacts;
import io.aviary.xep0060.SendLastPublishedItem;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0163 personal eventing: every account's bare JID is a publish-subscribe service of its own. Requests reach
 * it keyed by the account (the router's key for an IQ to a bare JID or without {@code to}), so one account's changes
 * are applied one at a time.
 *
 * <p>Notifications go as headline messages from the account's bare JID to the full JID of each resource that asked
 * for them with {@code <node>+notify} in its XEP-0115 caps (XEP-0163 §4.3 "filtered notifications"), of the account
 * itself and of each contact with a presence subscription (from or both) the node's access model admits. Which
 * resources are available with which caps comes from the presence the router copies here ({@link ContactPresence});
 * a resource that becomes available, or whose caps newly ask for a node, gets the node's last item (§4.3.4).
 */
public final class PersonalEventing implements PresenceHandler {

    private final DomainBareJid domain;
    private final PubsubStore store;
    private final RosterContacts roster;
    private final Consumer<XmlElement> sender;
    private final Clock clock;
    private final ContactPresence presence;

    PersonalEventing(DomainBareJid domain, PubsubStore store, RosterContacts roster, Consumer<XmlElement> sender,
                     Clock clock, ContactPresence presence) {
        this.presence = presence;
        this.domain = domain;
        this.store = store;
        this.roster = roster;
        this.sender = sender;
        this.clock = clock;
    }

    /** The handler of {@code http://jabber.org/protocol/pubsub}, which also takes the answers to caps queries. */
    public IqHandler pubsub() {
        return handler(PubsubXml.NAMESPACE, true);
    }

    /** The handler of {@code http://jabber.org/protocol/pubsub#owner}. */
    public IqHandler owner() {
        return handler(PubsubXml.OWNER, false);
    }

    private IqHandler handler(String namespace, boolean takesReplies) {
        return new IqHandler() {
            @Override
            public void handleReply(Stanza reply) {
                // Every handler of the topic sees each reply: one of the two takes the caps answers.
                if (takesReplies && ContactPresence.isCapsQuery(reply.id())) {
                    presence.reply(reply);
                }
            }

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

    /** The handler of the bookmarks private storage hands over (XEP-0411, {@link BookmarksConversion}). */
    public IqHandler bookmarksConversion() {
        return handler(BookmarksConversion.SYNC_NAMESPACE, false);
    }

    /** The handler of the photos the vCard capability hands over (XEP-0398, {@link AvatarConversion}). */
    public IqHandler avatarConversion() {
        return handler(AvatarConversion.TO_PEP, false);
    }

    /**
     * The account's PEP service is gone with the account, and so is what other accounts' PEP services gave it or it
     * asked of them: an affiliation (a whitelist's member, a publisher, an outcast) and its subscriptions. Otherwise
     * whoever registers the name next would read what was shared with the account it replaces. Done here, outside the
     * lanes of those services, as the pubsub service does for its own nodes: an owner's change racing the removal is
     * on another account's affiliation, or is this one's, made moot.
     */
    public void accountRemoved(String account) {
        store.removeService(account);
        presence.accountRemoved(account);
        for (String service : store.servicesNaming(account)) {
            if (!service.endsWith("@" + domain)) {
                continue; // not a PEP service: the service at pubsub.<domain> forgets the account itself
            }
            store.affiliationsOf(service, account).keySet()
                    .forEach(node -> store.affiliate(service, node, account, Affiliation.NONE));
            store.subscriptionsOf(service, account)
                    .forEach(subscription -> store.unsubscribe(service, subscription.node(), subscription.jid()));
        }
    }

    /**
     * Available or unavailable presence to an account's bare JID, from one of its contacts' resources or its own (the
     * router's copy, {@code Declaration#accountPresence}): kept, and answered with the last item of each node the
     * resource newly asks for, if the access model admits it (XEP-0163 §4.3.4 rule 2, "including the account owner
     * itself").
     */
    @Override
    public void handlePresence(Stanza stanza) {
        String from = stanza.fromAttribute();
        if (from == null || stanza.toAttribute() == null) {
            return;
        }
        String owner = StanzaKeys.bareOf(stanza.toAttribute());
        if (owner.isEmpty() || !owner.endsWith("@" + domain) || !owner.equals(stanza.toAttribute())) {
            return;
        }
        String contact = StanzaKeys.bareOf(from);
        if (stanza.type() == null && !contact.equals(owner) && !roster.inRoster(owner, contact, List.of())) {
            // Directed presence of someone not on the account's roster: no events for it (XEP-0163 §4.3.1), so nothing
            // to keep or ask about. A listed contact's is kept even before it may receive events: when two users
            // approve each other while online, the first approval's presence reaches the other's account before that
            // account's own approval, and none follows it. Who gets events is decided when they are sent.
            // Unavailable presence is always taken, to forget what was kept.
            return;
        }
        presence.presence(owner, from, stanza.element()).ifPresent(interest -> {
            for (PubsubNode node : store.nodes(owner)) {
                if (interest.nodes().contains(node.node()) && admits(node, interest.contact())
                        && node.config().sendLast() == SendLastPublishedItem.ON_SUB_AND_PRESENCE) {
                    store.items(owner, node.node(), 1).stream().findFirst().ifPresent(item -> sender.accept(
                            PubsubXml.lastItemMessage(owner, interest.fullJid(), node.node(), item)));
                }
            }
        });
    }

    Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null || address.requester() == null) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        if (address.toServer()) {
            // The domain itself is no pubsub service (pubsub.<domain> is): the namespace is known, this use is not.
            return iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
        }
        Request request = new Request(iq, address.account().toString(), address.requester().toString());
        XmlElement pubsub = iq.payload().orElseThrow();
        boolean set = "set".equals(iq.type());
        try {
            if (set && pubsub.is("sync", BookmarksConversion.SYNC_NAMESPACE)) {
                return legacyBookmarks(request, pubsub);
            }
            if (set && pubsub.is("photo", AvatarConversion.TO_PEP)) {
                return vcardPhoto(request, pubsub);
            }
            if (pubsub.is("pubsub", PubsubXml.NAMESPACE)) {
                for (XmlElement child : pubsub.elements().toList()) {
                    switch (child.name()) {
                        case "publish" -> {
                            if (set) {
                                return publish(request, child, PubsubXml.options(pubsub, "publish-options"));
                            }
                        }
                        case "items" -> {
                            if (!set) {
                                return items(request, child, pubsub.child("set", PubsubXml.RSM));
                            }
                        }
                        case "retract" -> {
                            if (set) {
                                return retract(request, child);
                            }
                        }
                        case "create" -> {
                            if (set) {
                                return create(request, child, PubsubXml.options(pubsub, "configure"));
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
        String nodeName = PubsubXml.nodeName(publish);
        PublishedItem item = PubsubXml.publishedItem(publish, request.requester(), clock.instant());
        PubsubNode node = store.node(request.service(), nodeName).orElse(null);
        if (node == null) {
            node = new PubsubNode(request.service(), nodeName, request.service(),
                    PubsubXml.apply(NodeConfig.PEP_DEFAULT, options));
            store.createNode(node);
            store.affiliate(request.service(), nodeName, request.service(), Affiliation.OWNER);
        } else if (!PubsubXml.meets(node.config(), options)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, "precondition-not-met");
        }
        if (node.config().persistItems()) {
            store.publish(request.service(), nodeName, item, node.config().maxItems());
        }
        notify(node, PubsubXml.publishEvent(nodeName, item));
        bookmarksChanged(request, nodeName);
        avatarChanged(request, nodeName, item);
        return request.iq().iqResult(PubsubXml.published(nodeName, item.id()));
    }

    private Stanza create(Request request, XmlElement create, Map<String, List<String>> config)
            throws PubsubException {
        requireOwner(request);
        String nodeName = PubsubXml.nodeName(create);
        PubsubNode node = new PubsubNode(request.service(), nodeName, request.service(),
                PubsubXml.apply(NodeConfig.PEP_DEFAULT, config));
        if (!store.createNode(node)) {
            throw new PubsubException(StanzaErrorCondition.CONFLICT, null);
        }
        store.affiliate(request.service(), nodeName, request.service(), Affiliation.OWNER);
        return request.iq().iqResult(null);
    }

    /** XEP-0060 §6.5: all items, the newest {@code max_items}, or those asked by id, paged when asked. */
    private Stanza items(Request request, XmlElement items, Optional<XmlElement> page) throws PubsubException {
        String nodeName = PubsubXml.nodeName(items);
        PubsubNode node = existing(request, nodeName);
        checkAccess(request, node);
        return request.iq().iqResult(PubsubXml.items(store, request.service(), nodeName, items, page));
    }

    /**
     * The access models as XEP-0060 §6.5.x gives their refusals: presence — not-authorized with
     * presence-subscription-required; roster — not-authorized with not-in-roster-group; whitelist (and authorize,
     * which PEP does not offer) — not-allowed with closed-node. The roster model admits a contact on the owner's
     * roster in one of the node's {@code pubsub#roster_groups_allowed}, or anywhere on it when the node names none.
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
                if (!roster.inRoster(request.service(), request.requester(), node.config().rosterGroups())) {
                    throw new PubsubException(StanzaErrorCondition.NOT_AUTHORIZED, "not-in-roster-group");
                }
            }
            case WHITELIST, AUTHORIZE -> throw new PubsubException(StanzaErrorCondition.NOT_ALLOWED, "closed-node");
        }
    }

    /** XEP-0060 §7.2, with a retract notification when asked ({@code notify} true or 1). */
    private Stanza retract(Request request, XmlElement retract) throws PubsubException {
        requireOwner(request);
        String nodeName = PubsubXml.nodeName(retract);
        PubsubNode node = existing(request, nodeName);
        List<String> ids = PubsubXml.itemIds(retract);
        for (String id : ids) {
            if (!store.retract(request.service(), nodeName, id)) {
                throw new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null);
            }
        }
        if (PubsubXml.notifies(retract)) {
            notify(node, PubsubXml.retractEvent(nodeName, ids));
        }
        bookmarksChanged(request, nodeName);
        return request.iq().iqResult(null);
    }

    private Stanza configuration(Request request, XmlElement configure) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, PubsubXml.nodeName(configure));
        XmlElement answer = XmlElement.builder("configure", PubsubXml.OWNER).attribute("node", node.node())
                .child(PubsubXml.configForm(node.config())).build();
        return request.iq().iqResult(XmlElement.builder("pubsub", PubsubXml.OWNER).child(answer).build());
    }

    private Stanza configure(Request request, XmlElement configure) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, PubsubXml.nodeName(configure));
        XmlElement form = PubsubXml.form(configure)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
        if (!"cancel".equals(form.attributeOrNull("type"))) {
            store.configure(request.service(), node.node(), PubsubXml.apply(node.config(), PubsubXml.fields(form)));
        }
        return request.iq().iqResult(null);
    }

    private Stanza delete(Request request, XmlElement delete) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, PubsubXml.nodeName(delete));
        List<String> recipients = recipients(node);
        store.deleteNode(request.service(), node.node());
        XmlElement event = XmlElement.builder("delete", PubsubXml.EVENT).attribute("node", node.node()).build();
        recipients.forEach(to -> sender.accept(PubsubXml.eventMessage(node.service(), to, event)));
        bookmarksChanged(request, node.node());
        return request.iq().iqResult(null);
    }

    private Stanza purge(Request request, XmlElement purge) throws PubsubException {
        requireOwner(request);
        PubsubNode node = existing(request, PubsubXml.nodeName(purge));
        store.purge(request.service(), node.node());
        notify(node, XmlElement.builder("purge", PubsubXml.EVENT).attribute("node", node.node()).build());
        bookmarksChanged(request, node.node());
        return request.iq().iqResult(null);
    }

    /** Whether the request comes from one of the account's clients (a full JID), not from the server on its behalf. */
    private static boolean fromClient(Request request) {
        String from = request.iq().fromAttribute();
        return from != null && from.indexOf('/') > 0;
    }

    /**
     * XEP-0411: a client changed the XEP-0402 bookmarks, so the XEP-0048 copy in private storage is rewritten, by an
     * IQ from the account's bare JID that private storage does not hand back (only clients' sets are converted).
     */
    private void bookmarksChanged(Request request, String nodeName) {
        if (!BookmarksConversion.NODE.equals(nodeName) || !fromClient(request)) {
            return;
        }
        List<PublishedItem> items = store.node(request.service(), nodeName).isPresent()
                ? store.items(request.service(), nodeName, -1) : List.of();
        sender.accept(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("from", request.service()).attribute("to", request.service())
                .attribute("id", Topics.replyId(Topics.PUBSUB, "bookmarks-" + UUID.randomUUID()))
                .child(XmlElement.builder("query", "jabber:iq:private").child(BookmarksConversion.legacy(items))
                        .build()).build());
    }

    /**
     * XEP-0411 the other way: private storage hands over the XEP-0048 bookmarks a client stored; the XEP-0402 node
     * (created as §3 of that specification configures it) gets an item for each room whose bookmark is new or changed
     * and loses those no longer there, with the notifications of a publication and a retraction.
     */
    private Stanza legacyBookmarks(Request request, XmlElement sync) throws PubsubException {
        requireOwner(request);
        if (fromClient(request)) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        XmlElement storage = BookmarksConversion.storage(sync)
                .orElseThrow(() -> new PubsubException(StanzaErrorCondition.BAD_REQUEST, null));
        Map<String, XmlElement> wanted = BookmarksConversion.conferences(storage);
        String nodeName = BookmarksConversion.NODE;
        PubsubNode node = store.node(request.service(), nodeName).orElse(null);
        if (node == null) {
            if (wanted.isEmpty()) {
                return request.iq().iqResult(null);
            }
            node = createdByServer(request.service(), nodeName, BookmarksConversion.CONFIG);
        }
        Map<String, String> current = new java.util.HashMap<>();
        store.items(request.service(), nodeName, -1).forEach(item -> current.put(item.id(), item.payload()));
        for (Map.Entry<String, XmlElement> room : wanted.entrySet()) {
            String payload = room.getValue().toXml();
            String kept = current.get(room.getKey());
            // Compared as elements: the same bookmark from a client of XEP-0402 may differ in attribute order.
            if (kept == null || !XmlFragment.parse(kept).equals(room.getValue())) {
                publishNotified(node, new PublishedItem(room.getKey(), request.service(), payload, clock.instant()));
            }
        }
        List<String> gone = current.keySet().stream().filter(id -> !wanted.containsKey(id)).sorted().toList();
        gone.forEach(id -> store.retract(request.service(), nodeName, id));
        if (!gone.isEmpty()) {
            notify(node, PubsubXml.retractEvent(nodeName, gone));
        }
        return request.iq().iqResult(null);
    }

    /** A node the server creates on the account's behalf (a conversion), owned by the account. */
    private PubsubNode createdByServer(String service, String nodeName, NodeConfig config) {
        PubsubNode node = new PubsubNode(service, nodeName, service, config);
        store.createNode(node);
        store.affiliate(service, nodeName, service, Affiliation.OWNER);
        return node;
    }

    /** Keeps an item the server publishes on the account's behalf and notifies as for the account's own. */
    private void publishNotified(PubsubNode node, PublishedItem item) {
        if (node.config().persistItems()) {
            store.publish(node.service(), node.node(), item, node.config().maxItems());
        }
        notify(node, PubsubXml.publishEvent(node.node(), item));
    }

    /**
     * XEP-0398: a client published avatar metadata; the image whose data PEP has becomes the vCard's PHOTO (empty
     * metadata, XEP-0084 §4.5: none), by an IQ from the account's bare JID that the vCard capability does not hand back.
     */
    private void avatarChanged(Request request, String nodeName, PublishedItem metadata) {
        if (!AvatarConversion.METADATA.equals(nodeName) || !fromClient(request)) {
            return;
        }
        Optional<XmlElement> info = AvatarConversion.info(metadata);
        Optional<AvatarConversion.Photo> photo = info.flatMap(i -> store.items(request.service(),
                        AvatarConversion.DATA, List.of(i.attributeOrNull("id"))).stream().findFirst()
                .flatMap(AvatarConversion::base64)
                .map(base64 -> new AvatarConversion.Photo(i.attributeOrNull("type"), base64))
                // XEP-0398 §3.1: the image must be the one the id names (its SHA-1).
                .filter(p -> p.id().equals(i.attributeOrNull("id"))));
        if (info.isPresent() && photo.isEmpty()) {
            return; // an image PEP does not hold (only a URL): the vCard keeps what it has
        }
        sender.accept(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("from", request.service()).attribute("to", request.service())
                .attribute("id", Topics.replyId(Topics.PUBSUB, "avatar-" + UUID.randomUUID()))
                .child(photo.map(p -> p.element(AvatarConversion.TO_VCARD))
                        .orElse(XmlElement.empty("photo", AvatarConversion.TO_VCARD))).build());
    }

    /**
     * XEP-0398 the other way: the vCard capability hands over the PHOTO a client set; it is published as XEP-0084 data
     * and metadata (ids: the image's SHA-1), or, when the vCard lost its photo, the avatar is disabled with empty
     * metadata (XEP-0084 §4.5) if there was one.
     */
    private Stanza vcardPhoto(Request request, XmlElement handOver) throws PubsubException {
        requireOwner(request);
        if (fromClient(request)) {
            throw new PubsubException(StanzaErrorCondition.FORBIDDEN, null);
        }
        String owner = request.service();
        Optional<AvatarConversion.Photo> photo = AvatarConversion.photo(handOver);
        Optional<PubsubNode> metadataNode = store.node(owner, AvatarConversion.METADATA);
        if (photo.isEmpty()) {
            metadataNode.ifPresent(node -> publishNotified(node, new PublishedItem("none", owner,
                    XmlElement.empty("metadata", AvatarConversion.METADATA).toXml(), clock.instant())));
            return request.iq().iqResult(null);
        }
        PubsubNode data = store.node(owner, AvatarConversion.DATA)
                .orElseGet(() -> createdByServer(owner, AvatarConversion.DATA, NodeConfig.PEP_DEFAULT));
        publishNotified(data, photo.get().dataItem(owner, clock.instant()));
        PubsubNode metadata = metadataNode
                .orElseGet(() -> createdByServer(owner, AvatarConversion.METADATA, NodeConfig.PEP_DEFAULT));
        publishNotified(metadata, photo.get().metadataItem(owner, clock.instant()));
        return request.iq().iqResult(null);
    }

    private void notify(PubsubNode node, XmlElement event) {
        for (String to : recipients(node)) {
            sender.accept(PubsubXml.eventMessage(node.service(), to, event));
        }
    }

    /**
     * The full JIDs of the resources that asked for the node's notifications ({@code +notify}), of the owner and of
     * the contacts with a presence subscription the access model admits (XEP-0163 §4.3: open and presence nodes notify
     * them; roster nodes those the roster lists; whitelist nodes its members). A contact whose presence the account
     * does not receive (subscription "from" only) gets none: §4.3.4 "Number of Notifications" rule 2 allows that.
     */
    private List<String> recipients(PubsubNode node) {
        Set<String> recipients = new LinkedHashSet<>();
        recipients.addAll(presence.interested(node.service(), node.service(), node.node()));
        Map<String, Affiliation> affiliations = store.affiliations(node.service(), node.node());
        for (String contact : roster.presenceSubscribers(node.service())) {
            if (admitted(node, contact, affiliations.getOrDefault(contact, Affiliation.NONE))) {
                recipients.addAll(presence.interested(node.service(), contact, node.node()));
            }
        }
        return new ArrayList<>(recipients);
    }

    /** Whether a presence subscriber gets the node's events under its access model (a roster node: its groups). */
    private boolean admitted(PubsubNode node, String contact, Affiliation affiliation) {
        return switch (node.config().accessModel()) {
            case OPEN, PRESENCE -> affiliation != Affiliation.OUTCAST;
            case ROSTER -> affiliation != Affiliation.OUTCAST && (node.config().rosterGroups().isEmpty()
                    || affiliation != Affiliation.NONE
                    || roster.inRoster(node.service(), contact, node.config().rosterGroups()));
            case WHITELIST, AUTHORIZE -> affiliation == Affiliation.MEMBER || affiliation == Affiliation.PUBLISHER;
        };
    }

    /** Whether {@code contact} (a bare JID) gets the node's events: the owner, or an admitted presence subscriber. */
    private boolean admits(PubsubNode node, String contact) {
        return contact.equals(node.service()) || (roster.receivesPresence(node.service(), contact)
                && admitted(node, contact, store.affiliations(node.service(), node.node())
                        .getOrDefault(contact, Affiliation.NONE)));
    }
}
