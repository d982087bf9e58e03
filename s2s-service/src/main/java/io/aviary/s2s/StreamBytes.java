package io.aviary.s2s;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a server-to-server or component connection: hands the bytes it reads to the connection's XML
 * stream as they come, tells the stream when the connection went quiet (an {@link IdleStateEvent}) or closed, and
 * closes the connection on a failure.
 */
public final class StreamBytes extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamBytes.class);

    private final String kind;
    private final Consumer<byte[]> receive;
    private final Runnable idle;
    private final Runnable disconnected;

    /** @param kind what the connection is, for the log ({@code s2s}, {@code component}) */
    public StreamBytes(String kind, Consumer<byte[]> receive, Runnable idle, Runnable disconnected) {
        this.kind = kind;
        this.receive = receive;
        this.idle = idle;
        this.disconnected = disconnected;
    }

    /** For a connection whose stream has no use for its going quiet. */
    public StreamBytes(String kind, Consumer<byte[]> receive, Runnable disconnected) {
        this(kind, receive, () -> { }, disconnected);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf && buf.isReadable()) {
                receive.accept(ByteBufUtil.getBytes(buf));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            idle.run();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disconnected.run();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", kind, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
