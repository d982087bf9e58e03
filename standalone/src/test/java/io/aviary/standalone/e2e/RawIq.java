package io.aviary.standalone.e2e;

import java.util.Map;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;

/**
 * An IQ with a hand-written payload, for requests Smack's managers never send (another user's
 * data, reserved namespaces, malformed commands): the negative cases the specs name.
 */
final class RawIq extends IQ {

    private final String inner;
    private final Map<String, String> attributes;

    private RawIq(String element, String namespace, Map<String, String> attributes, String inner, Type type, Jid to) {
        super(element, namespace);
        this.inner = inner;
        this.attributes = attributes;
        setType(type);
        setTo(to);
    }

    static RawIq get(Jid to, String element, String namespace, String inner) {
        return new RawIq(element, namespace, Map.of(), inner, Type.get, to);
    }

    static RawIq set(Jid to, String element, String namespace, String inner) {
        return new RawIq(element, namespace, Map.of(), inner, Type.set, to);
    }

    /** A set whose payload element has {@code attributes}. */
    static RawIq set(Jid to, String element, String namespace, Map<String, String> attributes, String inner) {
        return new RawIq(element, namespace, attributes, inner, Type.set, to);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        attributes.forEach(xml::attribute);
        if (inner.isEmpty()) {
            xml.setEmptyElement();
        } else {
            xml.rightAngleBracket();
            xml.append(inner);
        }
        return xml;
    }

    /** The condition of the error the server answers with; fails when the answer is a result. */
    static StanzaError.Condition errorOf(XMPPTCPConnection connection, RawIq iq) throws Exception {
        try {
            connection.sendIqRequestAndWaitForResponse(iq);
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
        throw new AssertionError("expected an error reply to " + iq.toXML());
    }
}
