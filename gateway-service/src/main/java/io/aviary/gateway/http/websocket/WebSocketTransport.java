package io.aviary.gateway.http.websocket;

import io.aviary.gateway.http.HttpFraming;
import io.aviary.gateway.http.HttpTransport;
import io.aviary.gateway.http.StreamOutput;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * A client stream over a WebSocket connection (RFC 7395): what the session writes goes out one
 * element per text message, the stream header as {@code <open/>} and its end as {@code <close/>}.
 */
final class WebSocketTransport extends HttpTransport {

    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    /** How long the last words of a stream (a stream error, {@code <close/>}) may take to reach the client. */
    private static final long CLOSE_GRACE_SECONDS = 5;

    private final Channel channel;
    private final StreamOutput output;
    /** Whether the next client message must be {@code <open/>}: at the start and after SASL success (RFC 7395 §3.5). */
    private volatile boolean awaitingOpen = true;

    WebSocketTransport(Channel channel, boolean secure) {
        super(secure);
        this.channel = channel;
        this.output = new StreamOutput(new StreamOutput.Listener() {
            @Override
            public void opened(StreamHeader header) {
                StringBuilder open = new StringBuilder("<open xmlns='" + FRAMING + "'");
                appendAttribute(open, "from", header.from());
                appendAttribute(open, "id", header.id());
                appendAttribute(open, "version", header.version());
                appendAttribute(open, "xml:lang", header.lang());
                send(open.append("/>").toString());
            }

            @Override
            public void element(XmlElement element) {
                if (element.is("success", SASL)) {
                    awaitingOpen = true;
                }
                send(HttpFraming.write(element, true));
            }

            @Override
            public void closed() {
                send("<close xmlns='" + FRAMING + "'/>");
            }
        });
    }

    private static void appendAttribute(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(' ').append(name).append("='").append(XmlWriter.escape(value)).append('\'');
        }
    }

    boolean awaitingOpen() {
        return awaitingOpen;
    }

    void opening() {
        awaitingOpen = false;
    }

    /** One WebSocket message. */
    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
    }

    @Override
    public String remoteAddress() {
        return Transport.hostOf(channel.remoteAddress());
    }

    @Override
    public void write(String xml) {
        output.write(xml);
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** RFC 7395 §3.6: after {@code <close/>} the server closes the WebSocket connection. */
    @Override
    public void close() {
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        // A client that reads nothing would keep the connection, and what is queued for it, open for ever.
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
