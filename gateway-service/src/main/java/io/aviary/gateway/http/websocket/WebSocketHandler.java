package io.aviary.gateway.http.websocket;

import static io.aviary.gateway.stream.ReactorPipeline.addBeforeReactorHandlers;

import io.aviary.gateway.http.HttpFraming;
import io.aviary.gateway.limits.NegotiationDeadline;
import io.aviary.gateway.limits.OutboundQueue;
import io.aviary.gateway.limits.TrafficShaper;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;

/**
 * The WebSocket endpoint (RFC 7395): the handshake must offer the {@code xmpp} subprotocol; then
 * each text message is one complete XML document, {@code <open/>}, {@code <close/>} or a stanza,
 * translated into the stream a {@link ClientSession} expects.
 */
public final class WebSocketHandler {

    public static final String PROTOCOL = "xmpp";
    /** Room for the framing around a stanza of the largest allowed size. */
    private static final int FRAME_SLACK = 1024;

    private final GatewayContext context;
    private final ParserLimits limits;
    private final WebsocketServerSpec spec;

    public WebSocketHandler(GatewayContext context) {
        this.context = context;
        var p = context.properties();
        this.limits = p.parserLimits();
        this.spec = WebsocketServerSpec.builder().protocols(PROTOCOL)
                .maxFramePayloadLength(p.maxStanzaBytes() + FRAME_SLACK).build();
    }

    /**
     * RFC 7395 §3.2: a handshake without {@code xmpp} among its subprotocols is refused (HTTP 400),
     * since the client would have to close a connection without it anyway.
     */
    public Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, boolean secure) {
        String offered = request.requestHeaders().get("Sec-WebSocket-Protocol");
        boolean xmpp = offered != null && Arrays.stream(offered.split(",")).map(String::trim).anyMatch(PROTOCOL::equals);
        if (!xmpp || !request.requestHeaders().containsValue("Upgrade", "websocket", true)) {
            return response.status(400).sendString(Mono.just("XMPP over WebSocket requires the 'xmpp' subprotocol\n")).then();
        }
        // The handshake's (empty) body is read first. Reactor Netty starts its read and request timeouts
        // (aviary.gateway.http.read-timeout) at a request's headers and stops them at its last content, which an
        // upgrade made at the headers never saw: every WebSocket connection was closed at the request timeout, however
        // busy.
        return request.receive().then(Mono.defer(() -> response.sendWebsocket((in, out) -> stream(in, secure), spec)));
    }

    private Mono<Void> stream(WebsocketInbound in, boolean secure) {
        AtomicReference<Channel> channel = new AtomicReference<>();
        in.withConnection(connection -> channel.set(connection.channel()));
        WebSocketTransport transport = new WebSocketTransport(channel.get(), secure);
        var p = context.properties();
        TrafficShaper shaper = new TrafficShaper(channel.get(), p.shaper());
        ClientSession session = new ClientSession(context, transport, shaper);
        addBeforeReactorHandlers(channel.get(), "outbound", OutboundQueue.install(channel.get(),
                p.outboundPause().toBytes(), p.maxOutboundQueue().toBytes(), session::outputOverflowed));
        addBeforeReactorHandlers(channel.get(), "shaper", shaper);
        NegotiationDeadline.arm(channel.get(), session, p.negotiationTimeout());
        return in.aggregateFrames(limits.maxStanzaBytes() + FRAME_SLACK).receiveFrames()
                .timeout(context.properties().idleTimeout())
                .doOnNext(frame -> message(frame, transport, session))
                .onErrorResume(TimeoutException.class, e -> {
                    transport.execute(session::idle);
                    return Mono.empty();
                })
                .doFinally(signal -> session.disconnected())
                .then();
    }

    private void message(WebSocketFrame frame, WebSocketTransport transport, ClientSession session) {
        if (!(frame instanceof TextWebSocketFrame)) {
            // RFC 7395 §3.3.3: the data is UTF-8 text in text frames.
            fail(transport, session, new StreamError(StreamErrorCondition.BAD_FORMAT, "binary messages are not XMPP"));
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        if (isBlank(bytes)) {
            return;
        }
        XmlElement element;
        try {
            element = XmlDocumentParser.parse(bytes, limits);
        } catch (XmppStreamException e) {
            fail(transport, session, e.error());
            return;
        }
        if (element.is("open", WebSocketTransport.FRAMING)) {
            open(element, transport, session);
        } else if (transport.awaitingOpen()) {
            fail(transport, session, new StreamError(StreamErrorCondition.BAD_FORMAT, "expected <open/>"));
        } else if (element.is("close", WebSocketTransport.FRAMING)) {
            feed(session, "</stream:stream>");
        } else {
            feed(session, XmlWriter.write(element, null));
        }
    }

    /** RFC 7395 §3.4 and §3.5: {@code <open/>} starts (or restarts) the stream; it stands for the stream header. */
    private void open(XmlElement open, WebSocketTransport transport, ClientSession session) {
        if (!transport.awaitingOpen()) {
            fail(transport, session, new StreamError(StreamErrorCondition.BAD_FORMAT, "unexpected <open/>"));
            return;
        }
        transport.opening();
        StringBuilder header = new StringBuilder("<stream:stream xmlns='jabber:client' xmlns:stream='")
                .append(HttpFraming.STREAMS).append('\'');
        for (String name : new String[] {"to", "from", "version", "xml:lang"}) {
            String value = open.attributeOrNull(name);
            if (value != null) {
                header.append(' ').append(name).append("='").append(XmlWriter.escape(value)).append('\'');
            }
        }
        feed(session, header.append('>').toString());
    }

    private static void feed(ClientSession session, String xml) {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        session.receive(bytes, 0, bytes.length);
    }

    /** A message that is not framed XMPP ends the stream with the stream error it calls for. */
    private static void fail(WebSocketTransport transport, ClientSession session, StreamError error) {
        transport.send(HttpFraming.write(error.toElement(), true));
        transport.send("<close xmlns='" + WebSocketTransport.FRAMING + "'/>");
        session.disconnected();
        transport.close();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
