package io.aviary.xep0060;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import io.aviary.xmpp.xml.XmlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.time.Instant;

/** The XML of XEP-0060 shared by PEP and the service: namespaces, errors, items, events and node forms. */
public final class PubsubXml {

    public static final String NAMESPACE = "http://jabber.org/protocol/pubsub";
    public static final String OWNER = NAMESPACE + "#owner";
    public static final String EVENT = NAMESPACE + "#event";
    public static final String ERRORS = NAMESPACE + "#errors";
    public static final String DATA_FORMS = "jabber:x:data";
    public static final String NODE_CONFIG = NAMESPACE + "#node_config";
    public static final String PUBLISH_OPTIONS = NAMESPACE + "#publish-options";
    public static final String ACCESS_MODEL = "pubsub#access_model";
    public static final String PERSIST_ITEMS = "pubsub#persist_items";
    public static final String MAX_ITEMS = "pubsub#max_items";
    public static final String SEND_LAST = "pubsub#send_last_published_item";
    public static final String ROSTER_GROUPS = "pubsub#roster_groups_allowed";
    public static final String RSM = "http://jabber.org/protocol/rsm";

    private PubsubXml() {
    }

    /** A request that fails: the condition, with a pubsub#errors condition when the XEP gives one. */
    public static final class PubsubException extends Exception {
        private final StanzaErrorCondition condition;
        private final String pubsubCondition;
        private final String unsupported;

        public PubsubException(StanzaErrorCondition condition, String pubsubCondition) {
            this(condition, pubsubCondition, null);
        }

        private PubsubException(StanzaErrorCondition condition, String pubsubCondition, String unsupported) {
            super(condition + (pubsubCondition == null ? "" : " " + pubsubCondition), null, false, false);
            this.condition = condition;
            this.pubsubCondition = pubsubCondition;
            this.unsupported = unsupported;
        }

        /** XEP-0060 §7.1.3.x style: feature-not-implemented with {@code <unsupported feature=.../>}. */
        public static PubsubException unsupported(String feature) {
            return new PubsubException(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, "unsupported", feature);
        }

        public Stanza reply(Stanza iq) {
            Stanza reply = iq.errorReply(StanzaError.of(condition));
            if (pubsubCondition == null) {
                return reply;
            }
            XmlElement.Builder app = XmlElement.builder(pubsubCondition, ERRORS);
            if (unsupported != null) {
                app.attribute("feature", unsupported);
            }
            List<XmlNode> children = new ArrayList<>();
            for (XmlNode child : reply.element().children()) {
                children.add(child instanceof XmlElement e && e.is("error", Stanza.CLIENT_NAMESPACE)
                        ? e.withChild(app.build()) : child);
            }
            return new Stanza(reply.kind(), reply.element().withChildren(children));
        }
    }

    /** {@code <item id=...>payload</item>} in a namespace (pubsub or pubsub#event). */
    public static XmlElement item(PublishedItem item, String namespace) {
        XmlElement.Builder element = XmlElement.builder("item", namespace).attribute("id", item.id());
        if (item.payload() != null) {
            element.child(XmlFragment.parse(item.payload()));
        }
        return element.build();
    }

    /** A headline message carrying {@code <event/>} (XEP-0060 §7.1.2.1). */
    public static XmlElement eventMessage(String from, String to, XmlElement eventChild) {
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE)
                .attribute("from", from).attribute("to", to).attribute("type", "headline")
                .attribute("id", java.util.UUID.randomUUID().toString())
                .child(XmlElement.builder("event", EVENT).child(eventChild).build())
                .build();
    }

    /**
     * The last item of a node sent unasked (XEP-0060 §6.1.7, XEP-0163 §4.3.4), with a XEP-0203 delay stamp of its
     * publication, as the examples there show.
     */
    public static XmlElement lastItemMessage(String service, String to, String node, PublishedItem item) {
        return eventMessage(service, to, publishEvent(node, item)).withChild(XmlElement.builder("delay", "urn:xmpp:delay")
                .attribute("from", service).attribute("stamp", item.published().toString()).build());
    }

    /**
     * The item of a publish request, with an id of the service's when it has none.
     *
     * @throws PubsubException bad-request with payload-required or invalid-payload (XEP-0060 §7.1.3.5-7): nodes
     *                         here are persistent payload nodes, so one item with exactly one payload
     */
    public static PublishedItem publishedItem(XmlElement publish, String publisher, Instant now)
            throws PubsubException {
        List<XmlElement> items = publish.elements().filter(e -> e.is("item", NAMESPACE)).toList();
        if (items.size() > 1) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "invalid-payload");
        }
        List<XmlElement> payloads = items.isEmpty() ? List.of() : items.get(0).elements().toList();
        if (payloads.size() != 1) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST,
                    payloads.isEmpty() ? "payload-required" : "invalid-payload");
        }
        String id = items.get(0).attributeOrNull("id");
        if (id == null || id.isEmpty()) {
            id = UUID.randomUUID().toString();
        }
        return new PublishedItem(id, publisher, payloads.get(0).toXml(), now);
    }

    /** The answer to an items request (XEP-0060 §6.5): all items, the newest {@code max_items}, or those by id. */
    /**
     * XEP-0060 §6.5: the items asked by id, or all (newest first), or the newest {@code max_items}; with a XEP-0059
     * {@code <set/>} beside {@code <items/>}, one page of those (§6.5.4).
     */
    public static XmlElement items(PubsubStore store, String service, String node, XmlElement request,
                                   Optional<XmlElement> page) throws PubsubException {
        List<String> ids = request.elements().filter(e -> e.is("item", NAMESPACE))
                .map(e -> e.attributeOrNull("id")).filter(id -> id != null).toList();
        XmlElement.Builder answer = XmlElement.builder("items", NAMESPACE).attribute("node", node);
        if (!ids.isEmpty()) {
            store.items(service, node, ids).forEach(item -> answer.child(item(item, NAMESPACE)));
            return XmlElement.builder("pubsub", NAMESPACE).child(answer.build()).build();
        }
        int max = -1;
        String maxItems = request.attributeOrNull("max_items");
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
        List<PublishedItem> found = store.items(service, node, max);
        if (page.isEmpty()) {
            found.forEach(item -> answer.child(item(item, NAMESPACE)));
            return XmlElement.builder("pubsub", NAMESPACE).child(answer.build()).build();
        }
        XmlElement set = page(found, page.get(), answer);
        return XmlElement.builder("pubsub", NAMESPACE).child(answer.build()).child(set).build();
    }

    /**
     * Puts one XEP-0059 page of the items into {@code answer} and gives the result set's {@code <set/>}: forward after
     * an id ({@code <after/>}), or at an {@code <index/>}, backward before an id ({@code <before/>}, the last page when
     * empty); an id not among the items is item-not-found (XEP-0059 §2.6 leaves the error to the using protocol).
     */
    private static XmlElement page(List<PublishedItem> items, XmlElement set, XmlElement.Builder answer)
            throws PubsubException {
        int max = number(set.childText("max", RSM).orElse(null), items.size());
        Optional<String> after = set.childText("after", RSM);
        Optional<XmlElement> before = set.child("before", RSM);
        int from;
        int to;
        if (before.isPresent()) {
            to = before.get().text().isEmpty() ? items.size() : position(items, before.get().text());
            from = Math.max(0, to - max);
        } else {
            from = after.isPresent() ? position(items, after.get()) + 1
                    : number(set.childText("index", RSM).orElse(null), 0);
            from = Math.min(from, items.size());
            to = (int) Math.min((long) from + max, items.size());
        }
        List<PublishedItem> shown = items.subList(from, to);
        shown.forEach(item -> answer.child(item(item, NAMESPACE)));
        XmlElement.Builder result = XmlElement.builder("set", RSM);
        if (!shown.isEmpty()) {
            result.child(XmlElement.builder("first", RSM).attribute("index", Integer.toString(from))
                    .text(shown.get(0).id()).build());
            result.textChild("last", shown.get(shown.size() - 1).id());
        }
        return result.textChild("count", Integer.toString(items.size())).build();
    }

    private static int number(String text, int absent) throws PubsubException {
        if (text == null) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // bad-request below
        }
        throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, null);
    }

    private static int position(List<PublishedItem> items, String id) throws PubsubException {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new PubsubException(StanzaErrorCondition.ITEM_NOT_FOUND, null);
    }

    /** The ids of the items a retract names. */
    public static List<String> itemIds(XmlElement retract) throws PubsubException {
        List<String> ids = retract.elements().filter(e -> e.is("item", NAMESPACE))
                .map(e -> e.attributeOrNull("id")).filter(id -> id != null && !id.isEmpty()).toList();
        if (ids.isEmpty()) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "item-required");
        }
        return ids;
    }

    /** The node a request names. */
    public static String nodeName(XmlElement element) throws PubsubException {
        String node = element.attributeOrNull("node");
        if (node == null || node.isEmpty()) {
            throw new PubsubException(StanzaErrorCondition.BAD_REQUEST, "nodeid-required");
        }
        return node;
    }

    /** Whether a retract asks for notifications ({@code notify} true or 1, XEP-0060 §7.2.2.1). */
    public static boolean notifies(XmlElement retract) {
        String notify = retract.attributeOrNull("notify");
        return "true".equals(notify) || "1".equals(notify);
    }

    /** A retract event for these items. */
    public static XmlElement retractEvent(String node, List<String> ids) {
        XmlElement.Builder event = XmlElement.builder("items", EVENT).attribute("node", node);
        ids.forEach(id -> event.child(XmlElement.builder("retract", EVENT).attribute("id", id).build()));
        return event.build();
    }

    /** A publish event for one item. */
    public static XmlElement publishEvent(String node, PublishedItem item) {
        return XmlElement.builder("items", EVENT).attribute("node", node).child(item(item, EVENT)).build();
    }

    /** The answer to a publish (XEP-0060 §7.1.2). */
    public static XmlElement published(String node, String itemId) {
        return XmlElement.builder("pubsub", NAMESPACE)
                .child(XmlElement.builder("publish", NAMESPACE).attribute("node", node)
                        .child(XmlElement.builder("item", NAMESPACE).attribute("id", itemId).build())
                        .build())
                .build();
    }

    /** The options of a publish-options element, or of a create's configure element. */
    public static Map<String, List<String>> options(XmlElement pubsub, String element) {
        return pubsub.child(element, NAMESPACE).flatMap(PubsubXml::form).map(PubsubXml::fields).orElse(Map.of());
    }

    /** The fields of a data form, by var; the values in order. */
    public static Map<String, List<String>> fields(XmlElement form) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        form.elements().filter(e -> e.is("field", DATA_FORMS)).forEach(field -> {
            String name = field.attributeOrNull("var");
            if (name != null) {
                fields.put(name, field.elements().filter(v -> v.is("value", DATA_FORMS)).map(XmlElement::text)
                        .toList());
            }
        });
        return fields;
    }

    /** The data form child of an element, if any. */
    public static Optional<XmlElement> form(XmlElement parent) {
        return parent == null ? Optional.empty() : parent.child("x", DATA_FORMS);
    }

    /**
     * A configuration with the form's values applied: the fields this service knows; others are left alone.
     *
     * @throws PubsubException not-acceptable (XEP-0060 §8.2.5.3: an invalid value) for a value that does not parse
     */
    public static NodeConfig apply(NodeConfig config, Map<String, List<String>> fields) throws PubsubException {
        NodeConfig result = config;
        String access = single(fields, ACCESS_MODEL);
        if (access != null) {
            result = result.withAccessModel(AccessModel.parse(access)
                    .orElseThrow(() -> new PubsubException(StanzaErrorCondition.NOT_ACCEPTABLE, null)));
        }
        String persist = single(fields, PERSIST_ITEMS);
        if (persist != null) {
            result = result.withPersistItems(bool(persist));
        }
        String max = single(fields, MAX_ITEMS);
        if (max != null) {
            result = result.withMaxItems(maxItems(max));
        }
        String sendLast = single(fields, SEND_LAST);
        if (sendLast != null) {
            result = result.withSendLast(SendLastPublishedItem.parse(sendLast)
                    .orElseThrow(() -> new PubsubException(StanzaErrorCondition.NOT_ACCEPTABLE, null)));
        }
        if (fields.containsKey(ROSTER_GROUPS)) {
            result = result.withRosterGroups(fields.get(ROSTER_GROUPS).stream().map(String::strip).toList());
        }
        return result;
    }

    /**
     * Whether the node's configuration matches every publish option this service knows (XEP-0060 §7.1.5).
     */
    public static boolean meets(NodeConfig config, Map<String, List<String>> options) throws PubsubException {
        return apply(config, options).equals(config);
    }

    static String single(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0).strip();
    }

    static boolean bool(String value) throws PubsubException {
        return switch (value) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new PubsubException(StanzaErrorCondition.NOT_ACCEPTABLE, null);
        };
    }

    private static int maxItems(String value) throws PubsubException {
        if (value.equals("max")) {
            return NodeConfig.UNLIMITED;
        }
        try {
            int max = Integer.parseInt(value);
            if (max > 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // not-acceptable below
        }
        throw new PubsubException(StanzaErrorCondition.NOT_ACCEPTABLE, null);
    }

    /** The node configuration form (XEP-0060 §8.2.1). */
    public static XmlElement configForm(NodeConfig config) {
        XmlElement.Builder form = XmlElement.builder("x", DATA_FORMS).attribute("type", "form");
        form.child(field("FORM_TYPE", "hidden", NODE_CONFIG));
        XmlElement.Builder access = XmlElement.builder("field", DATA_FORMS).attribute("var", ACCESS_MODEL)
                .attribute("type", "list-single")
                .textChild("value", config.accessModel().value());
        for (AccessModel model : AccessModel.values()) {
            access.child(XmlElement.builder("option", DATA_FORMS).textChild("value", model.value()).build());
        }
        form.child(access.build());
        form.child(field(PERSIST_ITEMS, "boolean", config.persistItems() ? "1" : "0"));
        form.child(field(MAX_ITEMS, "text-single", config.maxItemsValue()));
        XmlElement.Builder sendLast = XmlElement.builder("field", DATA_FORMS).attribute("var", SEND_LAST)
                .attribute("type", "list-single").textChild("value", config.sendLast().value());
        for (SendLastPublishedItem when : SendLastPublishedItem.values()) {
            sendLast.child(XmlElement.builder("option", DATA_FORMS).textChild("value", when.value()).build());
        }
        form.child(sendLast.build());
        XmlElement.Builder groups = XmlElement.builder("field", DATA_FORMS).attribute("var", ROSTER_GROUPS)
                .attribute("type", "list-multi");
        config.rosterGroups().forEach(group -> groups.textChild("value", group));
        form.child(groups.build());
        return form.build();
    }

    static XmlElement field(String name, String type, String value) {
        return XmlElement.builder("field", DATA_FORMS).attribute("var", name).attribute("type", type)
                .textChild("value", value).build();
    }
}
