package io.aviary.gateway.http;

import io.aviary.gateway.stream.ClientSession;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.nio.charset.StandardCharsets;

/**
 * Turns what a {@link ClientSession} writes (the text of an RFC 6120 stream) back into stream
 * events, so that HTTP transports can frame them their own way: a {@code <body/>} per response for
 * BOSH, a message per element for WebSocket. The session restarts its stream after SASL success
 * (RFC 6120 §6.4.6), so this does too. Callable from any thread; events are reported in order.
 */
public final class StreamOutput {

    /** What the session said. */
    public interface Listener {
        /** The session's stream header (sent again after each restart). */
        void opened(StreamHeader header);

        /** A first-level element: features, SASL or TLS nonzas, a stanza or a stream error. */
        void element(XmlElement element);

        /** The session closed its stream. */
        void closed();
    }

    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    // The session's own output: stanzas routed to it are bounded by the senders' stream limits.
    private static final ParserLimits LIMITS = new ParserLimits(Integer.MAX_VALUE, 1024, 4096);

    private final XmppStreamParser parser;
    private boolean ended;

    public StreamOutput(Listener listener) {
        this.parser = new XmppStreamParser(LIMITS, new StreamEventHandler() {
            @Override
            public void streamOpened(StreamHeader header) {
                listener.opened(header);
            }

            @Override
            public void element(XmlElement element) {
                listener.element(element);
                if (element.is("success", SASL)) {
                    parser().requestRestart();
                }
            }

            @Override
            public void streamClosed() {
                ended = true;
                listener.closed();
            }
        });
    }

    private XmppStreamParser parser() {
        return parser;
    }

    /** Text the session wrote. */
    public synchronized void write(String xml) {
        if (ended) {
            return;
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }
}
