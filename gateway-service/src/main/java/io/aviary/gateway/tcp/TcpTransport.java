package io.aviary.gateway.tcp;

import io.aviary.gateway.stream.Transport;
import io.aviary.gateway.tls.ServerTls;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/** A client stream over a TCP connection, with TLS from the start (XEP-0368) or after STARTTLS. */
final class TcpTransport implements Transport {

    static final String TLS_HANDLER = "tls";
    /** How long the last words of a stream (a stream error, the closing tag) may take to reach the client. */
    private static final long CLOSE_GRACE_SECONDS = 5;

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
        // Neither engine exposes a keying-material exporter through SSLSession, so no tls-exporter here. The
        // certificate this connection's handshake presented, which a reload since then has not changed.
        Certificate[] presented = session.getLocalCertificates();
        X509Certificate certificate = presented != null && presented.length > 0
                && presented[0] instanceof X509Certificate x509 ? x509 : tls.certificate();
        return ChannelBindings.forTls(session.getProtocol(), certificate, null);
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

    /** Closes once what was written is sent, or after {@link #CLOSE_GRACE_SECONDS} if the client does not read it. */
    @Override
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    private SslHandler sslHandler() {
        return channel.pipeline().get(SslHandler.class);
    }
}
