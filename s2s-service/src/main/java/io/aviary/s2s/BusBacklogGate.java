package io.aviary.s2s;

import io.aviary.bus.StanzaBus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading a remote server's or a component's connection while the bus is {@link StanzaBus#congested congested},
 * until it drains, as the gateway does for clients: the peer's TCP window then slows it down, and what it sends does
 * not pile up on the heap of a bus that cannot keep up. The read that finds the bus congested is still handled, so
 * one read per connection can pass the bound. Where a traffic shaper also pauses the connection, each resumes reading
 * when its own reason is over and the other pauses again at the next read.
 */
public final class BusBacklogGate extends ChannelInboundHandlerAdapter {

    private final StanzaBus bus;
    private boolean paused;

    public BusBacklogGate(StanzaBus bus) {
        this.bus = bus;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        if (!paused && bus.congested()) {
            Channel channel = ctx.channel();
            paused = true;
            channel.config().setAutoRead(false);
            bus.whenDrained(() -> channel.eventLoop().execute(() -> {
                paused = false;
                channel.config().setAutoRead(true);
            }));
        }
    }
}
