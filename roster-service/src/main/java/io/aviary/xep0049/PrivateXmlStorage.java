package io.aviary.xep0049;

import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.service.StanzaKeys;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0049 Private XML Storage: each account keeps elements, keyed by name and namespace, that
 * only it can read and write.
 * <ul>
 * <li>to any other JID than the sender's own account: {@code forbidden} ("the former is
 *     preferable", §3; "A server MUST NOT allow any entity other than an authorized resource of
 *     the user to create, update, or delete private XML", §5);</li>
 * <li>no child element: {@code not-acceptable} ("At least one child element with a proper
 *     namespace MUST be included; otherwise the server MUST respond with a 'Not Acceptable'
 *     error");</li>
 * <li>a child in {@code jabber:client}, {@code jabber:server} or {@code jabber:iq:private}, none
 *     of which is "its own namespace": {@code not-acceptable} (the error §3 shows for reserved
 *     namespaces);</li>
 * <li>a get for more than one element: {@code bad-request} ("A client MUST NOT query for more
 *     than [one] namespace in a single IQ get request");</li>
 * <li>an element larger than {@code aviary.private-storage.max-bytes}, or a set after which the account
 *     would store more than {@code max-total-bytes} or {@code max-elements}: {@code not-acceptable}, and
 *     nothing of the set is stored. XEP-0049 names no quota; RFC 6120 §8.3.3.10 defines not-acceptable for
 *     a request that "does not meet criteria defined by the recipient or server", a permanent refusal
 *     (type modify), where {@code resource-constraint} (type wait, "the server ... is busy or lacks the system
 *     resources") would invite a retry that can never succeed.</li>
 * </ul>
 * Quota checks read then write without a lock: an account's requests reach this handler in order, one at a
 * time (the service topic is keyed by the account).
 * A get for something never stored returns the requested element as sent, empty.
 */
public final class PrivateXmlStorage implements IqHandler {

    public static final String NAMESPACE = "jabber:iq:private";
    private static final Logger log = LoggerFactory.getLogger(PrivateXmlStorage.class);
    private static final String BOOKMARKS = "storage:bookmarks";
    private static final String BOOKMARKS_CONVERSION = "urn:aviary:bookmarks-conversion";
    private static final Set<String> RESERVED = Set.of("jabber:client", "jabber:server", NAMESPACE);

    private final DomainBareJid domain;
    private final PrivateStore store;
    private final PrivateStorageProperties limits;
    private final Consumer<XmlElement> sender;

    /** @param sender routes the XEP-0411 hand-over of bookmarks to the account's PEP service */
    public PrivateXmlStorage(DomainBareJid domain, PrivateStore store, PrivateStorageProperties limits,
                             Consumer<XmlElement> sender) {
        this.sender = sender;
        this.domain = domain;
        this.store = store;
        this.limits = limits;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null || !address.toSelf()) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        XmlElement query = iq.payload().orElseThrow();
        if (!query.is("query", NAMESPACE)) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        List<XmlElement> elements = query.elements().toList();
        if (elements.isEmpty() || elements.stream().anyMatch(e -> RESERVED.contains(e.namespace()))) {
            return iq.errorReply(StanzaErrorCondition.NOT_ACCEPTABLE);
        }
        String username = address.account().getLocalpart().toString();
        return "get".equals(iq.type()) ? get(iq, username, elements) : set(iq, username, elements);
    }

    private Stanza get(Stanza iq, String username, List<XmlElement> elements) {
        if (elements.size() > 1) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        XmlElement asked = elements.get(0);
        XmlElement stored = store.get(username, asked.name(), asked.namespace())
                .flatMap(xml -> readable(username, xml))
                .orElse(XmlElement.empty(asked.name(), asked.namespace()));
        return iq.iqResult(XmlElement.builder("query", NAMESPACE).child(stored).build());
    }

    /** A stored element that no longer parses is logged and read as never stored; the next set replaces it. */
    private static Optional<XmlElement> readable(String username, String xml) {
        try {
            return Optional.of(XmlFragment.parse(xml));
        } catch (IllegalArgumentException e) {
            log.warn("Private XML of {} cannot be read back and is answered as empty ({})", username, e.getMessage());
            return Optional.empty();
        }
    }

    private Stanza set(Stanza iq, String username, List<XmlElement> elements) {
        Map<List<String>, Long> after = new HashMap<>();
        store.usage(username).forEach(u -> after.put(List.of(u.name(), u.namespace()), u.bytes()));
        for (XmlElement element : elements) {
            long bytes = element.toXml().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxBytes()) {
                return refuse(iq, "Private data is limited to " + limits.maxBytes() + " bytes per element.");
            }
            after.put(List.of(element.name(), element.namespace()), bytes);
        }
        if (after.size() > limits.maxElements()) {
            return refuse(iq, "Private data is limited to " + limits.maxElements() + " elements per account.");
        }
        if (after.values().stream().mapToLong(Long::longValue).sum() > limits.maxTotalBytes()) {
            return refuse(iq, "Private data is limited to " + limits.maxTotalBytes() + " bytes per account.");
        }
        for (XmlElement element : elements) {
            store.put(username, element.name(), element.namespace(), element.toXml());
            if (element.is("storage", BOOKMARKS) && fromClient(iq)) {
                handOver(StanzaKeys.bareOf(iq.fromAttribute()), element);
            }
        }
        return iq.iqResult(null);
    }

    private static boolean fromClient(Stanza iq) {
        String from = iq.fromAttribute();
        return from != null && from.indexOf('/') > 0;
    }

    /**
     * XEP-0411: XEP-0048 bookmarks a client stored here also go to the account's XEP-0402 node, by an IQ from the
     * account's bare JID to its PEP service ({@code urn:aviary:bookmarks-conversion}; without PEP it is refused and
     * the refusal dropped). Only clients' sets are handed over: the PEP service's own copy (from the bare JID) is
     * not sent back.
     */
    private void handOver(String account, XmlElement storage) {
        sender.accept(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("from", account).attribute("to", account)
                .attribute("id", "bookmarks-" + UUID.randomUUID())
                .child(XmlElement.builder("sync", BOOKMARKS_CONVERSION).child(storage).build()).build());
    }

    private static Stanza refuse(Stanza iq, String why) {
        return IqErrors.withoutPayload(iq, StanzaErrorCondition.NOT_ACCEPTABLE, why);
    }

    public void accountDeleted(EntityBareJid account) {
        store.deleteAll(account.getLocalpart().toString());
    }
}
