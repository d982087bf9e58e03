package io.aviary.gateway.tcp;

import io.aviary.gateway.stream.Transport;
import io.aviary.gateway.tls.ServerTls;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSession;

/** A client stream over a TCP connection, with TLS from the start (XEP-0368) or after STARTTLS. */
final class TcpTransport implements Transport {

    static final String TLS_HANDLER = "tls";

    private final Channel channel;
    private final ServerTls tls;

    TcpTransport(Channel channel, ServerTls tls) {
        this.channel = channel;
        this.tls = tls;
    }

    @Override
    public String remoteAddress() {
        return Transport.hostOf(channel.remoteAddress());
    }

    @Override
    public boolean isSecure() {
        return sslHandler() != null;
    }

    @Override
    public ChannelBindings channelBindings() {
        SslHandler handler = sslHandler();
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return ChannelBindings.none();
        }
        SSLSession session = handler.engine().getSession();
        // Neither engine exposes a keying-material exporter through SSLSession, so no tls-exporter here.
        return ChannelBindings.forTls(session.getProtocol(), tls.certificate(), null);
    }

    @Override
    public boolean canStartTls() {
        return true;
    }

    @Override
    public void write(String xml) {
        channel.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8), channel.voidPromise());
    }

    @Override
    public void startTls(String proceed) {
        // Installed before <proceed/> is written; startTls=true lets that one write pass in clear.
        channel.pipeline().addFirst(TLS_HANDLER, tls.startTlsHandler(channel.alloc()));
        write(proceed);
    }

    @Override
    public void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private SslHandler sslHandler() {
        return channel.pipeline().get(SslHandler.class);
    }
}
