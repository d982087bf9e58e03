package io.aviary.xep0065;

import io.aviary.listen.ListeningPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The proxy's SOCKS5 TCP listener (Netty): one {@link Socks5Connection} per accepted connection. */
public final class Socks5Listener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Socks5Listener.class);

    private final Proxy65Properties properties;
    private final Transfers transfers;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;

    Socks5Listener(Proxy65Properties properties, Transfers transfers) {
        this.properties = properties;
        this.transfers = transfers;
    }

    public void start() {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        InetSocketAddress bind = properties.bindAddress().isBlank() ? new InetSocketAddress(properties.port())
                : new InetSocketAddress(properties.bindAddress(), properties.port());
        ListeningPort port = new ListeningPort("aviary.proxy65.port", properties.bindAddress(), properties.port());
        server = port.bind(() -> new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                // What one direction may hold in memory before its sender stops being read (Socks5Connection#forward).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast("socks5", new Socks5Connection(transfers,
                                properties.activationTimeout(), properties.idleTimeout()));
                    }
                })
                .bind(bind).syncUninterruptibly().channel(), this);
        log.info("XEP-0065 proxy listening on {}", server.localAddress());
    }

    Transfers transfers() {
        return transfers;
    }

    /** The port bound (the configured one, or the one picked for port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
