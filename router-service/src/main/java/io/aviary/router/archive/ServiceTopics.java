package io.aviary.router.archive;

import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The bus topic of a stanza the delivery rules hand to the server ({@code Route.ToService}): an IQ request goes to the
 * topic of the capability that declares its payload namespace ({@link Declaration#topic()}: the archive service's
 * XEP-0313 and XEP-0357 IQs go to {@link Topics#ARCHIVE}); an IQ result or error whose id names a declared topic
 * ({@link Topics#replyTopic}) goes back to that topic, and to {@link Topics#REPLIES} when the id names it; any stanza to a hosted service's address (or a JID at it) to the
 * topic of the capability that declares the service; everything else to {@link Topics#SERVICE}. Read from the
 * catalogue of the whole server, so a router sends there whichever process runs the capability.
 */
public final class ServiceTopics {

    private final CapabilityCatalogue catalogue;
    private volatile Index index = Index.of(List.of());

    /** What the declarations say, rebuilt only when the catalogue's declarations change. */
    private record Index(List<Declaration> declarations, Map<String, String> byNamespace, Set<String> topics,
                         Map<DomainBareJid, String> byAddress, Set<String> presenceWatchers,
                         Map<String, String> byItemNode) {

        static Index of(List<Declaration> declarations) {
            Map<String, String> byNamespace = new HashMap<>();
            Set<String> topics = new HashSet<>();
            Map<DomainBareJid, String> byAddress = new HashMap<>();
            Set<String> presenceWatchers = new HashSet<>();
            Map<String, String> byItemNode = new HashMap<>();
            for (Declaration declaration : declarations) {
                if (declaration.accountPresence()) {
                    presenceWatchers.add(declaration.topic());
                }
                topics.add(declaration.topic());
                declaration.iqNamespaces().forEach(namespace -> byNamespace.put(namespace, declaration.topic()));
                declaration.services().forEach(service -> byAddress.put(service.address(), declaration.topic()));
                declaration.itemNodes().forEach(node -> byItemNode.put(node, declaration.topic()));
            }
            return new Index(declarations, Map.copyOf(byNamespace), Set.copyOf(topics), Map.copyOf(byAddress),
                    Set.copyOf(presenceWatchers), Map.copyOf(byItemNode));
        }
    }

    public ServiceTopics(CapabilityCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public String topicOf(Stanza stanza) {
        Index current = current();
        String hosted = hostedTopic(stanza, current);
        if (hosted != null) {
            return hosted;
        }
        if (!stanza.isIq()) {
            return Topics.SERVICE;
        }
        String type = stanza.type();
        if ("result".equals(type) || "error".equals(type)) {
            String topic = Topics.replyTopic(stanza.id());
            return topic != null && (current.topics().contains(topic) || Topics.REPLIES.equals(topic))
                    ? topic : Topics.SERVICE;
        }
        String nodeTopic = itemNodeTopic(stanza, current);
        if (nodeTopic != null) {
            return nodeTopic;
        }
        return stanza.payload().map(XmlElement::namespace).map(current.byNamespace()::get).orElse(Topics.SERVICE);
    }

    /** A disco#items request to the domain for a node some capability answers itself ({@link Declaration#itemNodes}). */
    private static String itemNodeTopic(Stanza iq, Index current) {
        if (current.byItemNode().isEmpty()) {
            return null;
        }
        XmlElement query = iq.payload().filter(p -> p.is("query", DiscoInfo.ITEMS)).orElse(null);
        String node = query == null ? null : query.attributeOrNull("node");
        if (node == null) {
            return null;
        }
        try {
            Jid to = iq.to();
            return to == null || to.hasLocalpart() ? null : current.byItemNode().get(node);
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    /** Whether {@code address} is the address of a hosted service of the server ({@code upload.<domain>}). */
    public boolean hosts(DomainBareJid address) {
        return current().byAddress().containsKey(address);
    }

    private static String hostedTopic(Stanza stanza, Index current) {
        if (current.byAddress().isEmpty()) {
            return null;
        }
        try {
            Jid to = stanza.to();
            return to == null ? null : current.byAddress().get(to.asDomainBareJid());
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    /** The topics of the capabilities that get a copy of presence to accounts ({@link Declaration#accountPresence()}). */
    public Set<String> presenceWatchers() {
        return current().presenceWatchers();
    }

    /** Whether some capability of the server is served on {@code topic}. */
    public boolean serves(String topic) {
        return current().topics().contains(topic);
    }

    private Index current() {
        List<Declaration> declarations = catalogue.declarations();
        Index current = index;
        // The catalogue hands out the same list until the declarations change (CapabilityCatalogue#declarations).
        if (declarations != current.declarations() && !declarations.equals(current.declarations())) {
            current = Index.of(declarations);
            index = current;
        }
        return current;
    }
}
