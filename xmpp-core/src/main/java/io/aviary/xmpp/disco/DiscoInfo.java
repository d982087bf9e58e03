package io.aviary.xmpp.disco;

import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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

    /**
     * The XEP-0115 verification string of this information (§5.1): identities sorted by category, type,
     * xml:lang then name, each as {@code category/type/lang/name<}; then the sorted features, each followed by
     * {@code <}; SHA-1 of the UTF-8 bytes, Base64-encoded. Our identities carry no xml:lang, and there are no
     * data forms, so steps 6-8 (extended information) do not apply.
     */
    public String capsVerification() {
        StringBuilder s = new StringBuilder();
        for (Identity identity : identities) {
            s.append(identity.category()).append('/').append(identity.type()).append("//")
                    .append(identity.name() == null ? "" : identity.name()).append('<');
        }
        for (String feature : features) {
            s.append(feature).append('<');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
