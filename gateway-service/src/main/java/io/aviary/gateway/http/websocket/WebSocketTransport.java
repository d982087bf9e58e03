package io.aviary.gateway.http.websocket;

import io.aviary.gateway.http.HttpFraming;
import io.aviary.gateway.http.StreamOutput;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetSocketAddress;

/**
 * A client stream over a WebSocket connection (RFC 7395): what the session writes goes out one
 * element per text message, the stream header as {@code <open/>} and its end as {@code <close/>}.
 */
final class WebSocketTransport implements Transport {

    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

    private final Channel channel;
    private final boolean secure;
    private final StreamOutput output;
    /** Whether the next client message must be {@code <open/>}: at the start and after SASL success (RFC 7395 §3.5). */
    private volatile boolean awaitingOpen = true;

    WebSocketTransport(Channel channel, boolean secure) {
        this.channel = channel;
        this.secure = secure;
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
        return channel.remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress());
    }

    /** True on the HTTPS listener, or on the plain one when the operator allows authentication there. */
    @Override
    public boolean isSecure() {
        return secure;
    }

    /** Channel binding over WebSocket is not offered (the TLS layer belongs to the HTTP listener). */
    @Override
    public ChannelBindings channelBindings() {
        return ChannelBindings.none();
    }

    @Override
    public boolean canStartTls() {
        return false;
    }

    @Override
    public void write(String xml) {
        output.write(xml);
    }

    @Override
    public void startTls(String proceed) {
        throw new IllegalStateException("WebSocket offers no STARTTLS (RFC 7395 §3.6)");
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    /** RFC 7395 §3.6: after {@code <close/>} the server closes the WebSocket connection. */
    @Override
    public void close() {
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
    }
}
