package io.aviary.xep0030;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The identities and features of an entity: the content of a disco#info result (XEP-0030).
 * {@code features} iterate in sorted order, the order XEP-0115 §5.1 hashes them in.
 */
public record DiscoInfo(List<Identity> identities, Set<String> features) {

    public static final String INFO = "http://jabber.org/protocol/disco#info";
    public static final String ITEMS = "http://jabber.org/protocol/disco#items";

    /** {@code <identity category type name/>}; {@code name} may be null. */
    public record Identity(String category, String type, String name) {
        static final Comparator<Identity> ORDER = Comparator.comparing(Identity::category)
                .thenComparing(Identity::type).thenComparing(i -> i.name() == null ? "" : i.name());
    }

    public DiscoInfo {
        identities = identities.stream().sorted(Identity.ORDER).toList();
        features = Collections.unmodifiableSortedSet(new TreeSet<>(features));
    }

    /** The {@code <query xmlns='http://jabber.org/protocol/disco#info'/>} of a result, echoing {@code node} if given. */
    public XmlElement toQuery(String node) {
        XmlElement.Builder query = XmlElement.builder("query", INFO).attribute("node", node);
        for (Identity identity : identities) {
            query.child(XmlElement.builder("identity", INFO).attribute("category", identity.category())
                    .attribute("type", identity.type()).attribute("name", identity.name()).build());
        }
        for (String feature : features) {
            query.child(XmlElement.builder("feature", INFO).attribute("var", feature).build());
        }
        return query.build();
    }
}
