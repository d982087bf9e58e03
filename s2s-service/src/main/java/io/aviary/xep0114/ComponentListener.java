package io.aviary.xep0114;

import io.aviary.bus.StanzaBus;
import io.aviary.backpressure.BusBacklogGate;
import io.aviary.listen.ListeningPort;
import io.aviary.s2s.StreamBytes;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.xml.ParserLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component port (XEP-0114, 5347). On event loops of its own, as the upload tier's listeners: Reactor Netty's
 * global loops die with any closing application context of the JVM. Stanzas are parsed by xmpp-core's stream
 * parser with the same restrictions as client streams (RFC 6120 §11) and {@code max-stanza-bytes}.
 */
public final class ComponentListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComponentListener.class);
    /** How long the last words of a stream (a stream error, the closing tag) may take to reach the component. */
    private static final long CLOSE_GRACE_SECONDS = 5;

    private final ComponentsProperties properties;
    private final ConnectedComponents components;
    private final ParserLimits limits;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;
    /** Every accepted connection until it closes: closed, after their last words, before the loops stop. */
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Stops reading every component while the bus is congested. */
    private final BusBacklogGate busBacklog;

    public ComponentListener(ComponentsProperties properties, ConnectedComponents components, StanzaBus bus) {
        this.properties = properties;
        this.components = components;
        this.busBacklog = new BusBacklogGate(bus);
        ParserLimits defaults = ParserLimits.DEFAULTS;
        this.limits = new ParserLimits((int) Math.min(Integer.MAX_VALUE, properties.maxStanzaBytes().toBytes()),
                defaults.maxDepth(), defaults.maxAttributes(), defaults.maxStanzaElements());
    }

    /** Opens the port, unless no component is configured: then there is nothing to accept, nor a port to guard. */
    public void start() {
        if (properties.services().isEmpty()) {
            log.info("XEP-0114: no components configured (aviary.components.services), component port not opened");
            return;
        }
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ListeningPort port = new ListeningPort("aviary.components.port", properties.bindAddress(), properties.port());
        server = port.bind(() -> new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted.add(channel);
                        NettyLink link = new NettyLink(channel, properties.maxOutboundQueue().toBytes());
                        ComponentStream stream = new ComponentStream(components, link, limits);
                        link.overflow = stream::outputOverflowed;
                        channel.pipeline().addLast("bus-backlog", busBacklog);
                        channel.pipeline().addLast("xmpp", new StreamBytes("component", stream::receive, stream::disconnected));
                        channel.eventLoop().schedule(stream::handshakeTimedOut,
                                properties.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    }
                })
                .bind(new InetSocketAddress(properties.bindAddress(), properties.port())).syncUninterruptibly().channel(),
                this);
        // Renewed on the accepting loop, which has little else to do: a Redis round trip per connected component.
        long renewal = Math.max(100, properties.holderTtl().toMillis() / 3);
        boss.scheduleAtFixedRate(components::renewHolds, renewal, renewal, TimeUnit.MILLISECONDS);
        log.info("XEP-0114 component port listening on {} for {}", server.localAddress(),
                properties.services().stream().map(ComponentsProperties.Component::domain).toList());
    }

    /** The port bound (the configured one, or the one picked for port 0); -1 when not opened. */
    public int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Stops accepting and ends the components' streams with {@code system-shutdown} (RFC 6120 §4.9.3.20). */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        components.closeAll(new StreamError(StreamErrorCondition.SYSTEM_SHUTDOWN));
        // A loop that is shutting down closes its channels before it runs the tasks still queued, which would drop
        // the stream errors just written from this thread. Closing each channel here queues its close behind its
        // error on its own loop, and the loops stop once every close has run (bounded: a loop may be stuck).
        accepted.close().awaitUninterruptibly(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    private static final class NettyLink implements ComponentStream.Link {

        private final Channel channel;
        private final long maxOutbound;
        private Runnable overflow;

        NettyLink(Channel channel, long maxOutbound) {
            this.channel = channel;
            this.maxOutbound = maxOutbound;
        }

        /** Writes, unless more than {@code max-outbound-queue} waits already: a component that does not read. */
        @Override
        public void write(String xml) {
            ChannelOutboundBuffer pending = channel.unsafe().outboundBuffer();
            if (pending != null && pending.totalPendingWriteBytes() > maxOutbound) {
                overflow.run();
                return;
            }
            channel.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8), channel.voidPromise());
        }

        /** Closes once what was written is sent, or after a grace period if the component does not read it. */
        @Override
        public void close() {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(channel.remoteAddress());
        }
    }
}
