package io.aviary.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The Netty side shared by every simulated client: one event-loop group (no thread per client),
 * one TLS context, the round-robin choice of target and the SCRAM SaltedPassword cache.
 *
 * <p>Memory per idle client is kept small: receive buffers start at 256 bytes and grow only for
 * connections that actually receive a lot, and the socket buffers are left to the kernel.
 */
public final class ClientEngine implements AutoCloseable {

    private final ClientSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final String tlsEngine;
    private final AtomicInteger nextTarget = new AtomicInteger();
    private final ScramClient.SaltedPasswords saltedPasswords = new ScramClient.SaltedPasswords();

    public ClientEngine(ClientSettings settings, int threads) {
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.timeout().toMillis())
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 256, 16 * 1024))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 32 * 1024));
        try {
            // The server's certificate is self-signed: trust anything, this is a load tool, not a client.
            // OpenSSL when it loads: the generator shares the server's cores, so its handshakes must be cheap too.
            SslProvider provider = switch (settings.tlsEngine()) {
                case JDK -> SslProvider.JDK;
                case OPENSSL -> {
                    OpenSsl.ensureAvailability();
                    yield SslProvider.OPENSSL;
                }
                case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            };
            this.tls = SslContextBuilder.forClient().sslProvider(provider)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            this.tlsEngine = provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the client TLS context", e);
        }
    }

    /** The client's TLS engine, for the report: "JDK" or "OpenSSL (BoringSSL)". */
    public String tlsEngine() {
        return tlsEngine;
    }

    public ClientSettings settings() {
        return settings;
    }

    public ScramClient.SaltedPasswords saltedPasswords() {
        return saltedPasswords;
    }

    /** Opens a TCP connection to the next target; the connection drives itself from there. */
    public ChannelFuture connect(XmppConnection connection) {
        return connect(connection, settings.targets().get(
                Math.floorMod(nextTarget.getAndIncrement(), settings.targets().size())));
    }

    /** Opens a TCP connection to {@code target}, one of the settings' targets. */
    public ChannelFuture connect(XmppConnection connection, InetSocketAddress target) {
        connection.target(target);
        ChannelFuture future = bootstrap.clone().handler(connection).connect(target);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                connection.fail("connect to " + target.getHostString() + ":" + target.getPort() + ": " + f.cause());
            }
        });
        return future;
    }

    /** A client-side TLS handler for a STARTTLS upgrade of {@code channel}. */
    public SslHandler sslHandler(Channel channel, InetSocketAddress target) {
        return tls.newHandler(channel.alloc(), target.getHostString(), target.getPort());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
