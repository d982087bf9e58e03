package io.aviary.s2s;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Stanzas inside Aviary are in {@code jabber:client} (the bus, the router, the gateway); on a component's stream they
 * are in {@code jabber:component:accept} (XEP-0114 §3), on a stream between servers in {@code jabber:server} (RFC 6120
 * §4.8.3), and so are their children that inherit the default namespace ({@code <body/>}, {@code <error/>}). This
 * moves a stanza from one content namespace to the other.
 */
public final class ContentNamespace {

    public static final String COMPONENT = "jabber:component:accept";
    public static final String SERVER = "jabber:server";

    private ContentNamespace() {
    }

    /** {@code element} with every element in namespace {@code from} moved to {@code to}. */
    public static XmlElement move(XmlElement element, String from, String to) {
        List<XmlNode> children = new ArrayList<>(element.children().size());
        boolean changed = false;
        for (XmlNode child : element.children()) {
            XmlNode moved = child instanceof XmlElement e ? move(e, from, to) : child;
            changed |= moved != child;
            children.add(moved);
        }
        if (!from.equals(element.namespace()) && !changed) {
            return element;
        }
        return new XmlElement(element.name(), from.equals(element.namespace()) ? to : element.namespace(),
                element.attributes(), changed ? children : element.children());
    }
}
