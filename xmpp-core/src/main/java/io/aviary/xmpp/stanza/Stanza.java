package io.aviary.xmpp.stanza;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A typed view of a first-level element of a client stream: message, presence or iq
 * (RFC 6120 §8). The element stays the source of truth; the view reads its addressing.
 */
public record Stanza(Kind kind, XmlElement element) {

    private static final boolean PRECIS = io.aviary.xmpp.jid.Precis.ensure();


    public static final String CLIENT_NAMESPACE = "jabber:client";

    public enum Kind {
        MESSAGE("message"), PRESENCE("presence"), IQ("iq");

        private final String elementName;

        Kind(String elementName) {
            this.elementName = elementName;
        }

        public String elementName() {
            return elementName;
        }
    }

    /** The stanza view of an element, or empty when it is not one of the three stanza kinds. */
    public static Optional<Stanza> of(XmlElement element) {
        if (!CLIENT_NAMESPACE.equals(element.namespace())) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.elementName.equals(element.name())) {
                return Optional.of(new Stanza(kind, element));
            }
        }
        return Optional.empty();
    }

    public String id() {
        return element.attributeOrNull("id");
    }

    public String type() {
        return element.attributeOrNull("type");
    }

    public String toAttribute() {
        return element.attributeOrNull("to");
    }

    public String fromAttribute() {
        return element.attributeOrNull("from");
    }

    /** The {@code to} address, or null when absent; a malformed address raises {@link XmppStringprepException}. */
    public Jid to() throws XmppStringprepException {
        String to = toAttribute();
        return to == null ? null : JidCreate.from(to);
    }

    public Jid from() throws XmppStringprepException {
        String from = fromAttribute();
        return from == null ? null : JidCreate.from(from);
    }

    public boolean isMessage() {
        return kind == Kind.MESSAGE;
    }

    public boolean isPresence() {
        return kind == Kind.PRESENCE;
    }

    public boolean isIq() {
        return kind == Kind.IQ;
    }

    public boolean isError() {
        return "error".equals(type());
    }

    public Stanza withFrom(String from) {
        return new Stanza(kind, element.withAttribute("from", from));
    }

    public Stanza withTo(String to) {
        return new Stanza(kind, element.withAttribute("to", to));
    }

    /**
     * The error reply to this stanza (RFC 6120 §8.3.1): addresses swapped, type "error", the
     * original payload kept and the error element appended.
     */
    public Stanza errorReply(StanzaError error) {
        List<XmlNode> children = new ArrayList<>(element.children().stream()
                .filter(c -> !(c instanceof XmlElement e && e.is("error", CLIENT_NAMESPACE)))
                .toList());
        children.add(error.toElement());
        XmlElement reply = XmlElement.builder(element.name(), CLIENT_NAMESPACE)
                .attribute("from", toAttribute())
                .attribute("to", fromAttribute())
                .attribute("id", id())
                .attribute("type", "error")
                .children(children)
                .build();
        return new Stanza(kind, reply);
    }

    public Stanza errorReply(StanzaErrorCondition condition) {
        return errorReply(StanzaError.of(condition));
    }

    /** A result IQ for this IQ request, optionally carrying a payload (RFC 6120 §8.2.3). */
    public Stanza iqResult(XmlElement payload) {
        XmlElement.Builder reply = XmlElement.builder("iq", CLIENT_NAMESPACE)
                .attribute("from", toAttribute())
                .attribute("to", fromAttribute())
                .attribute("id", id())
                .attribute("type", "result");
        if (payload != null) {
            reply.child(payload);
        }
        return new Stanza(Kind.IQ, reply.build());
    }

    /** The single payload child of an IQ get or set. */
    public Optional<XmlElement> payload() {
        return element.firstChild();
    }

    public String toXml() {
        return element.toXml();
    }
}
