package io.aviary.xep0114;

import io.aviary.s2s.ContentNamespace;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One component's stream (XEP-0114 §3), independent of the transport: header, handshake, then stanzas both ways.
 * Fed on its connection's thread; {@link #deliver} may be called from any thread.
 */
final class ComponentStream implements StreamEventHandler {

    private static final Logger log = LoggerFactory.getLogger(ComponentStream.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String STREAMS = StreamError.STREAMS_NAMESPACE;
    /** Until the handshake a peer sends a header and one short element. */
    private static final ParserLimits BEFORE_HANDSHAKE = new ParserLimits(4 * 1024, 4, 16, 10);

    /** What the stream writes to and closes. */
    interface Link {
        void write(String xml);

        void close();

        String remoteAddress();
    }

    private enum State { OPENING, HANDSHAKE, READY, CLOSED }

    private final ConnectedComponents components;
    private final Link link;
    private final ParserLimits limits;
    private final XmppStreamParser parser;
    private final String streamId = HexFormat.of().formatHex(randomId());
    private volatile State state = State.OPENING;
    private ComponentsProperties.Component component;
    private DomainBareJid domain;

    ComponentStream(ConnectedComponents components, Link link, ParserLimits limits) {
        this.components = components;
        this.link = link;
        this.limits = limits;
        this.parser = new XmppStreamParser(BEFORE_HANDSHAKE, this);
    }

    private static byte[] randomId() {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        return id;
    }

    /** Bytes from the component. */
    void receive(byte[] bytes) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            parser.feed(bytes);
        } catch (XmppStreamException e) {
            fail(e.error());
        } catch (RuntimeException e) {
            log.warn("component stream from {} failed", link.remoteAddress(), e);
            fail(new StreamError(StreamErrorCondition.INTERNAL_SERVER_ERROR));
        }
    }

    @Override
    public void streamOpened(StreamHeader header) {
        if (!"stream".equals(header.elementName()) || !STREAMS.equals(header.elementNamespace())) {
            // RFC 6120 §4.9.3.10: the root is not <stream:stream>.
            openAndFail(header.to(), new StreamError(StreamErrorCondition.INVALID_NAMESPACE));
            return;
        }
        if (!ContentNamespace.COMPONENT.equals(header.contentNamespace())) {
            openAndFail(header.to(), new StreamError(StreamErrorCondition.INVALID_NAMESPACE,
                    "a component stream is in " + ContentNamespace.COMPONENT));
            return;
        }
        Optional<ComponentsProperties.Component> configured = components.configured(header.to());
        if (configured.isEmpty()) {
            // XEP-0114 §3 / RFC 6120 §4.9.3.6: no component is configured for that domain.
            openAndFail(header.to(), new StreamError(StreamErrorCondition.HOST_UNKNOWN));
            return;
        }
        component = configured.get();
        domain = JidCreate.domainBareFromOrThrowUnchecked(component.domain());
        link.write(openingTag(component.domain()));
        state = State.HANDSHAKE;
    }

    @Override
    public void element(XmlElement element) {
        switch (state) {
            case HANDSHAKE -> handshake(element);
            case READY -> stanza(element);
            default -> { }
        }
    }

    private void handshake(XmlElement element) {
        if (!element.is("handshake", ContentNamespace.COMPONENT)) {
            // XEP-0114 §3: nothing but the handshake before it succeeded.
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED, "handshake first"));
            return;
        }
        if (!Handshake.verify(element.text(), streamId, component.secret())) {
            log.info("component {} from {}: wrong handshake", domain, link.remoteAddress());
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED));
            return;
        }
        // Locked with deliver: once attached, a stanza for the component may come from a bus thread at once, and must
        // find the stream ready and follow the <handshake/>.
        synchronized (this) {
            if (!components.attach(domain, this)) {
                // Decided: the connected one stays, the newcomer is refused (as Prosody does): a second copy of a
                // gateway started by mistake does not steal the first one's traffic. A dead connection is noticed by TCP.
                log.info("component {} from {}: already connected", domain, link.remoteAddress());
                fail(new StreamError(StreamErrorCondition.CONFLICT, domain + " is already connected"));
                return;
            }
            parser.setLimits(limits);
            state = State.READY;
            link.write("<handshake/>");
        }
        log.info("component {} connected from {}", domain, link.remoteAddress());
    }

    private void stanza(XmlElement element) {
        if (!ContentNamespace.COMPONENT.equals(element.namespace())
                || !(element.name().equals("message") || element.name().equals("presence") || element.name().equals("iq"))) {
            // RFC 6120 §4.9.3.22.
            fail(new StreamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE));
            return;
        }
        XmlElement routed = ContentNamespace.move(element, ContentNamespace.COMPONENT, Stanza.CLIENT_NAMESPACE);
        Stanza stanza = Stanza.of(routed).orElseThrow();
        Jid from;
        Jid to;
        try {
            from = stanza.from();
            to = stanza.to();
        } catch (XmppStringprepException e) {
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "malformed address"));
            return;
        }
        if (from == null || !domain.equals(from.asDomainBareJid())) {
            // XEP-0114 §3 and RFC 6120 §4.9.3.10: a component speaks only for its own domain (or JIDs at it).
            fail(new StreamError(StreamErrorCondition.INVALID_FROM, "from must be " + domain + " or a JID at it"));
            return;
        }
        if (to == null) {
            // RFC 6120 §4.9.3.9: on a stream between servers every stanza names its addressee.
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "to is required"));
            return;
        }
        components.route(stanza);
    }

    /** A stanza for the component, in {@code jabber:client} as everywhere inside the server. */
    synchronized boolean deliver(XmlElement stanza) {
        if (state != State.READY) {
            return false;
        }
        link.write(XmlWriter.write(ContentNamespace.move(stanza, Stanza.CLIENT_NAMESPACE, ContentNamespace.COMPONENT),
                ContentNamespace.COMPONENT));
        return state == State.READY; // not when the write found the queue full and ended the stream
    }

    @Override
    public void streamClosed() {
        close(null);
    }

    /** The connection ended. */
    void disconnected() {
        State was = state;
        state = State.CLOSED;
        if (was == State.READY) {
            components.detach(domain, this);
            log.info("component {} disconnected", domain);
        }
    }

    /** The handshake did not complete in time (RFC 6120 §4.9.3.4). */
    void handshakeTimedOut() {
        if (state == State.OPENING || state == State.HANDSHAKE) {
            fail(new StreamError(StreamErrorCondition.CONNECTION_TIMEOUT));
        }
    }

    /**
     * Too much waits to be sent to the component: its stream ends (RFC 6120 §4.9.3.17 {@code resource-constraint}, as
     * the gateway ends a client's, though it cannot be written behind the full queue). The stanza that found the queue
     * full bounces; those queued before it are lost with the connection.
     */
    void outputOverflowed() {
        if (state != State.CLOSED) {
            log.warn("component {} does not read: closing its stream", domain);
        }
        close(new StreamError(StreamErrorCondition.RESOURCE_CONSTRAINT, "Too much data waiting to be sent"));
    }

    /** Ends the stream, with {@code error} unless null. */
    void close(StreamError error) {
        if (state == State.CLOSED) {
            return;
        }
        State was = state;
        state = State.CLOSED;
        link.write(error == null ? "</stream:stream>" : errorXml(error));
        link.close();
        if (was == State.READY) {
            components.detach(domain, this);
            log.info("component {} disconnected", domain);
        }
    }

    private void fail(StreamError error) {
        if (state == State.OPENING) {
            link.write(openingTag(null));
        }
        close(error);
    }

    private void openAndFail(String to, StreamError error) {
        link.write(openingTag(to));
        state = State.HANDSHAKE;
        close(error);
    }

    private String openingTag(String from) {
        return "<?xml version='1.0'?><stream:stream xmlns:stream='" + STREAMS + "' xmlns='" + ContentNamespace.COMPONENT
                + "' id='" + streamId + "'" + (from == null ? "" : " from=\"" + XmlWriter.escape(from) + "\"") + ">";
    }

    private static String errorXml(StreamError error) {
        StringBuilder xml = new StringBuilder("<stream:error>");
        error.toElement().elements().forEach(e -> XmlWriter.write(e, null, xml));
        return xml.append("</stream:error></stream:stream>").toString();
    }

    /** The stream id, which the handshake digest covers. */
    String streamId() {
        return streamId;
    }
}
