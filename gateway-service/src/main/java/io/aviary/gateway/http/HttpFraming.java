package io.aviary.gateway.http;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import io.aviary.xmpp.xml.XmlWriter;

/** Writes stream-level elements for HTTP transports, where no stream root declares namespaces. */
public final class HttpFraming {

    public static final String STREAMS = "http://etherx.jabber.org/streams";

    private HttpFraming() {
    }

    /**
     * Writes {@code element} with every namespace declared on it. Elements of the streams namespace
     * keep their customary {@code stream:} prefix (as in the examples of RFC 7395 §3.4 and XEP-0206
     * §6), declared on the element itself when {@code declareStreamPrefix} (a WebSocket message is a
     * document of its own) or left to the enclosing BOSH {@code <body/>}.
     */
    public static String write(XmlElement element, boolean declareStreamPrefix) {
        if (!element.namespace().equals(STREAMS)) {
            return XmlWriter.write(element, null);
        }
        StringBuilder sb = new StringBuilder(256).append("<stream:").append(element.name());
        if (declareStreamPrefix) {
            sb.append(" xmlns:stream='").append(STREAMS).append('\'');
        }
        sb.append('>');
        for (XmlNode child : element.children()) {
            if (child instanceof XmlElement e) {
                XmlWriter.write(e, null, sb);
            }
        }
        return sb.append("</stream:").append(element.name()).append('>').toString();
    }
}
