package io.aviary.xep0049;

import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

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
 * <li>an element larger than {@code aviary.private-storage.max-bytes}: {@code not-acceptable}.</li>
 * </ul>
 * A get for something never stored returns the requested element as sent, empty.
 */
public final class PrivateXmlStorage implements IqHandler {

    public static final String NAMESPACE = "jabber:iq:private";
    private static final Set<String> RESERVED = Set.of("jabber:client", "jabber:server", NAMESPACE);

    private final DomainBareJid domain;
    private final PrivateStore store;
    private final int maxBytes;

    public PrivateXmlStorage(DomainBareJid domain, PrivateStore store, int maxBytes) {
        this.domain = domain;
        this.store = store;
        this.maxBytes = maxBytes;
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
                .map(XmlFragment::parse)
                .orElse(XmlElement.empty(asked.name(), asked.namespace()));
        return iq.iqResult(XmlElement.builder("query", NAMESPACE).child(stored).build());
    }

    private Stanza set(Stanza iq, String username, List<XmlElement> elements) {
        for (XmlElement element : elements) {
            if (element.toXml().getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                return IqErrors.withoutPayload(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                        "Private data is limited to " + maxBytes + " bytes per element.");
            }
        }
        for (XmlElement element : elements) {
            store.put(username, element.name(), element.namespace(), element.toXml());
        }
        return iq.iqResult(null);
    }

    public void accountDeleted(EntityBareJid account) {
        store.deleteAll(account.getLocalpart().toString());
    }
}
