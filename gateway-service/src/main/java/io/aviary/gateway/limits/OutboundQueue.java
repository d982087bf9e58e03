package io.aviary.gateway.limits;

import io.aviary.backpressure.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds what waits to be sent to one client. Past the channel's high water mark (it turns unwritable) the
 * client's input is no longer read, so that its own requests cannot pile up replies; reading resumes below the
 * low mark. Past {@code maxBytes} the stream is given up: {@code overflow} runs once (the session ends its
 * stream) and what else would be queued is dropped, until the connection closes and Netty frees the queue.
 */
public final class OutboundQueue extends ChannelDuplexHandler {

    private final long maxBytes;
    private final Runnable overflow;
    private boolean overflowed;

    private OutboundQueue(long maxBytes, Runnable overflow) {
        this.maxBytes = maxBytes;
        this.overflow = overflow;
    }

    /**
     * Sets {@code channel}'s water marks to {@code pauseBytes} (high) and half of it (low) and returns the handler
     * to add to its pipeline.
     */
    public static OutboundQueue install(Channel channel, long pauseBytes, long maxBytes, Runnable overflow) {
        int high = (int) Math.min(pauseBytes, Integer.MAX_VALUE);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        return new OutboundQueue(maxBytes, overflow);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ReadGate gate = ReadGate.of(ctx.channel());
        if (ctx.channel().isWritable()) {
            gate.resume(ReadGate.Reason.OUTPUT_BACKLOG);
        } else {
            gate.pause(ReadGate.Reason.OUTPUT_BACKLOG);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (overflowed) {
            // Only the stream's last words still go out; a client that reads nothing never gets them, and the
            // transport's bounded close frees the connection anyway.
            ctx.write(msg, promise);
            return;
        }
        ChannelOutboundBuffer queue = ctx.channel().unsafe().outboundBuffer();
        // Counts writes already submitted from other threads too (Netty adds them on submission).
        if (queue != null && queue.totalPendingWriteBytes() > maxBytes) {
            overflowed = true;
            // Dropped, as everything routed to a stream that is ending is.
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            overflow.run();
            return;
        }
        ctx.write(msg, promise);
    }
}
