package io.aviary.capability;

import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jxmpp.jid.impl.JidCreate;

/** Declarations as XML, the form they take in a shared catalogue (Redis in a cluster). */
public final class DeclarationXml {

    static final String NAMESPACE = "urn:aviary:capabilities";

    private DeclarationXml() {
    }

    public static String write(List<Declaration> declarations) {
        XmlElement.Builder root = XmlElement.builder("capabilities", NAMESPACE);
        declarations.forEach(d -> root.child(element(d)));
        return root.build().toXml();
    }

    public static List<Declaration> read(String xml) {
        XmlElement root = XmlDocumentParser.parse(xml.getBytes(StandardCharsets.UTF_8), ParserLimits.DEFAULTS);
        return root.elements().filter(e -> e.is("capability", NAMESPACE)).map(DeclarationXml::declaration).toList();
    }

    private static XmlElement element(Declaration d) {
        XmlElement.Builder e = XmlElement.builder("capability", NAMESPACE).attribute("name", d.name())
                .attribute("summary", d.summary()).attribute("topic", d.topic())
                .attribute("account-presence", d.accountPresence() ? "true" : null);
        for (Specification s : d.specifications()) {
            e.child(XmlElement.builder("spec", NAMESPACE).attribute("id", s.id()).attribute("title", s.title())
                    .attribute("version", s.version())
                    .attribute("status", s.status().name()).attribute("note", s.note()).build());
        }
        values(e, "iq", d.iqNamespaces());
        values(e, "feature", d.discoFeatures());
        values(e, "account-feature", d.accountFeatures());
        d.identities().forEach(i -> e.child(identity(i)));
        d.streamFeatures().forEach(f -> e.child(XmlElement.builder("stream-feature", NAMESPACE).child(f).build()));
        values(e, "listens", d.listensTo());
        values(e, "emits", d.emits());
        values(e, "store", d.stores());
        values(e, "account-iq", d.accountIqs());
        values(e, "item-node", d.itemNodes());
        for (HostedService service : d.services()) {
            XmlElement.Builder h = XmlElement.builder("service", NAMESPACE)
                    .attribute("address", service.address().toString()).attribute("name", service.name());
            service.identities().forEach(i -> h.child(identity(i)));
            values(h, "feature", service.features());
            e.child(h.build());
        }
        d.accountIdentities().forEach(i -> e.child(XmlElement.builder("account-identity", NAMESPACE)
                .attribute("category", i.category()).attribute("type", i.type()).attribute("name", i.name()).build()));
        return e.build();
    }

    private static XmlElement identity(DiscoInfo.Identity i) {
        return XmlElement.builder("identity", NAMESPACE).attribute("category", i.category())
                .attribute("type", i.type()).attribute("name", i.name()).build();
    }

    private static List<DiscoInfo.Identity> identities(XmlElement e) {
        return children(e, "identity").stream().map(i -> new DiscoInfo.Identity(i.attributeOrNull("category"),
                i.attributeOrNull("type"), i.attributeOrNull("name"))).toList();
    }

    private static void values(XmlElement.Builder e, String name, Set<String> values) {
        values.stream().sorted().forEach(v -> e.child(XmlElement.builder(name, NAMESPACE).attribute("value", v).build()));
    }

    private static Declaration declaration(XmlElement e) {
        return new Declaration(e.attributeOrNull("name"), e.attributeOrNull("summary"),
                children(e, "spec").stream().map(s -> new Specification(s.attributeOrNull("id"),
                        s.attributeOrNull("title"), s.attributeOrNull("version"), Specification.Status.valueOf(s.attributeOrNull("status")),
                        s.attributeOrNull("note"))).toList(),
                values(e, "iq"), values(e, "feature"), values(e, "account-feature"),
                identities(e),
                children(e, "stream-feature").stream().map(f -> f.firstChild().orElseThrow()).toList(),
                values(e, "listens"), values(e, "emits"), values(e, "store"), values(e, "account-iq"),
                e.attributeOrNull("topic"), children(e, "service").stream().map(s -> new HostedService(
                        JidCreate.domainBareFromOrThrowUnchecked(s.attributeOrNull("address")), s.attributeOrNull("name"),
                        identities(s), values(s, "feature"))).toList(),
                children(e, "account-identity").stream().map(i -> new DiscoInfo.Identity(i.attributeOrNull("category"),
                        i.attributeOrNull("type"), i.attributeOrNull("name"))).toList(),
                "true".equals(e.attributeOrNull("account-presence")), values(e, "item-node"));
    }

    private static List<XmlElement> children(XmlElement e, String name) {
        return e.elements().filter(c -> c.is(name, NAMESPACE)).toList();
    }

    private static Set<String> values(XmlElement e, String name) {
        return children(e, name).stream().map(c -> c.attributeOrNull("value")).collect(Collectors.toSet());
    }
}
