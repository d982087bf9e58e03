package io.aviary.s2s;

import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The few pieces of XML the two sides of an s2s stream write, besides stanzas. */
final class S2sXml {

    static final String STREAMS = StreamError.STREAMS_NAMESPACE;
    static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String DIALBACK = "jabber:server:dialback";
    static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";
    static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    /** XEP-0288: the stream feature, and the element that asks for it. */
    static final String BIDI_FEATURE = "urn:xmpp:features:bidi";
    static final String BIDI = "urn:xmpp:bidi";
    private static final SecureRandom RANDOM = new SecureRandom();

    private S2sXml() {
    }

    /** An opening stream tag in {@code jabber:server} with the dialback prefix declared (XEP-0220 §2.1). */
    static String header(String from, String to, String id) {
        return "<?xml version='1.0'?><stream:stream xmlns='" + ContentNamespace.SERVER + "' xmlns:stream='" + STREAMS
                + "' xmlns:db='" + DIALBACK + "'" + attribute("from", from) + attribute("to", to) + attribute("id", id)
                + " version='1.0'>";
    }

    /** A stream error followed by the closing tag. */
    static String error(StreamError error) {
        StringBuilder xml = new StringBuilder("<stream:error>");
        error.toElement().elements().forEach(e -> XmlWriter.write(e, null, xml));
        return xml.append("</stream:error></stream:stream>").toString();
    }

    /** {@code <db:result/>} or {@code <db:verify/>} with a type: the answer to a dialback request. */
    static String dialbackAnswer(String name, String from, String to, String id, String type, String errorCondition) {
        String attributes = attribute("from", from) + attribute("to", to) + attribute("id", id) + attribute("type", type);
        if (errorCondition == null) {
            return "<db:" + name + attributes + "/>";
        }
        return "<db:" + name + attributes + "><error type='cancel'><" + errorCondition + " xmlns='" + STANZAS
                + "'/></error></db:" + name + ">";
    }

    /** {@code <db:result/>} or {@code <db:verify/>} carrying a key: a dialback request. */
    static String dialbackRequest(String name, String from, String to, String id, String key) {
        return "<db:" + name + attribute("from", from) + attribute("to", to) + attribute("id", id) + ">"
                + XmlWriter.escape(key) + "</db:" + name + ">";
    }

    static boolean isStream(XmlElement element, String name) {
        return element.is(name, STREAMS);
    }

    static String randomId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    private static String attribute(String name, String value) {
        return value == null ? "" : " " + name + "='" + XmlWriter.escape(value) + "'";
    }
}
