package io.aviary.s2s;

import io.aviary.backpressure.BusBacklogGate;
import io.aviary.bus.StanzaBus;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sockets of the s2s streams: the listeners and the outgoing connections, on event loops of their own (as the
 * component port: Reactor Netty's global loops die with any closing application context of the JVM). Each connection
 * feeds one stream ({@link Connection}); a connection without traffic for {@code idleTimeout} is reported idle.
 */
final class S2sNetwork implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S2sNetwork.class);
    private static final long CLOSE_GRACE_SECONDS = 5;

    /** The stream a connection feeds. */
    interface Connection {
        void receive(byte[] bytes);

        void disconnected();

        void idle();
    }

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Duration idleTimeout;
    private final Duration connectTimeout;
    private final long maxBytesPerSecond;
    private final int maxConnectionsPerAddress;
    /** Stops reading every connection while the bus is congested. */
    private final BusBacklogGate busBacklog;
    /** Open incoming connections by remote address, for {@code max-connections-per-address}. */
    private final Map<InetAddress, Integer> connectionsByAddress = new ConcurrentHashMap<>();

    S2sNetwork(Duration idleTimeout, Duration connectTimeout, long maxBytesPerSecond, int maxConnectionsPerAddress,
               StanzaBus bus) {
        this.idleTimeout = idleTimeout;
        this.connectTimeout = connectTimeout;
        this.maxBytesPerSecond = maxBytesPerSecond;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.busBacklog = new BusBacklogGate(bus);
    }

    /** Listens on {@code port}, with TLS from the first byte when {@code directTls} is given; the channel bound. */
    Channel listen(String bindAddress, int port, SslContext directTls, Function<Link, Connection> accept) {
        return new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (!admitted(channel)) {
                            channel.close();
                            return;
                        }
                        if (directTls != null) {
                            channel.pipeline().addLast("tls", directTls.newHandler(channel.alloc()));
                        }
                        NettyLink link = new NettyLink(channel, directTls != null);
                        pipeline(channel, accept.apply(link));
                    }
                })
                .bind(new InetSocketAddress(bindAddress, port)).syncUninterruptibly().channel();
    }

    /**
     * Connects to the first of {@code addresses} that answers (direct TLS ones with a handshake towards
     * {@code serverName}); {@code connected} gets the link, or {@code failed} is called when none answered.
     */
    void connect(List<RemoteAddresses.Address> addresses, SslContext tls, String serverName,
                 Function<Link, Connection> connected, Consumer<Throwable> failed) {
        tryNext(addresses.iterator(), tls, serverName, connected, failed, null);
    }

    private void tryNext(Iterator<RemoteAddresses.Address> addresses, SslContext tls, String serverName,
                         Function<Link, Connection> connected, Consumer<Throwable> failed, Throwable last) {
        if (!addresses.hasNext()) {
            failed.accept(last == null ? new IllegalStateException("no address") : last);
            return;
        }
        RemoteAddresses.Address address = addresses.next();
        ChannelFuture connecting = new Bootstrap().group(workers).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(address.host(), address.port());
        connecting.addListener((ChannelFuture future) -> {
            if (!future.isSuccess()) {
                log.debug("s2s: {}:{} for {} failed: {}", address.host(), address.port(), serverName, future.cause().toString());
                tryNext(addresses, tls, serverName, connected, failed, future.cause());
                return;
            }
            Channel channel = future.channel();
            channel.pipeline().removeFirst();
            if (!address.directTls()) {
                pipeline(channel, connected.apply(new NettyLink(channel, false)));
                return;
            }
            SslHandler handler = tls.newHandler(channel.alloc(), serverName, address.port());
            channel.pipeline().addLast("tls", handler);
            handler.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    pipeline(channel, connected.apply(new NettyLink(channel, true)));
                } else {
                    channel.close();
                    tryNext(addresses, tls, serverName, connected, failed, handshake.cause());
                }
            });
        });
    }

    /** Whether the peer's address holds fewer than {@code max-connections-per-address} streams here; counts this one. */
    private boolean admitted(SocketChannel channel) {
        if (maxConnectionsPerAddress <= 0) {
            return true;
        }
        InetAddress peer = channel.remoteAddress().getAddress();
        if (connectionsByAddress.merge(peer, 1, Integer::sum) > maxConnectionsPerAddress) {
            release(peer);
            log.info("s2s: refused a connection from {}: {} open already", peer, maxConnectionsPerAddress);
            return false;
        }
        channel.closeFuture().addListener(closed -> release(peer));
        return true;
    }

    private void release(InetAddress peer) {
        connectionsByAddress.computeIfPresent(peer, (address, count) -> count <= 1 ? null : count - 1);
    }

    private void pipeline(Channel channel, Connection connection) {
        if (maxBytesPerSecond > 0) {
            // Netty's shaper: a peer over its rate is not read from until it is within it again (not disconnected).
            channel.pipeline().addLast("shaper", new ChannelTrafficShapingHandler(0, maxBytesPerSecond, 1000));
        }
        long idle = idleTimeout.toMillis();
        channel.pipeline().addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        channel.pipeline().addLast("bus-backlog", busBacklog);
        channel.pipeline().addLast("xmpp", new StreamBytes("s2s", connection::receive, connection::idle,
                connection::disconnected));
    }

    /** Runs {@code task} after {@code delay} on one of the loops. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return workers.next().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    private static final class NettyLink implements Link {

        private final Channel channel;
        private volatile boolean secure;

        NettyLink(Channel channel, boolean secure) {
            this.channel = channel;
            this.secure = secure;
        }

        @Override
        public void write(String xml) {
            channel.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8), channel.voidPromise());
        }

        @Override
        public void close() {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void startTls(SslContext context, String proceed, String peerHost, Runnable done,
                             Consumer<Throwable> failed) {
            channel.eventLoop().execute(() -> {
                SslHandler handler = proceed != null
                        ? new SslHandler(context.newEngine(channel.alloc()), true)
                        : context.newHandler(channel.alloc(), peerHost, 5269);
                channel.pipeline().addFirst("tls", handler);
                if (proceed != null) {
                    write(proceed);
                }
                handler.handshakeFuture().addListener(handshake -> {
                    if (handshake.isSuccess()) {
                        secure = true;
                        done.run();
                    } else {
                        failed.accept(handshake.cause());
                    }
                });
            });
        }

        @Override
        public boolean secure() {
            return secure;
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                return List.of();
            }
            try {
                return Arrays.stream(tls.engine().getSession().getPeerCertificates())
                        .filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
            } catch (SSLPeerUnverifiedException e) {
                return List.of();
            }
        }

        @Override
        public void execute(Runnable task) {
            channel.eventLoop().execute(task);
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(channel.remoteAddress());
        }
    }
}
