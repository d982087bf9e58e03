package io.aviary.gateway.limits;

import io.aviary.bus.StanzaBus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Stops reading a connection while the bus is {@link StanzaBus#congested congested}, until it drains. The standalone
 * bus keeps what its lanes have not handled yet on the heap: clients that together send faster than the lanes drain
 * (a thousand users at 24,000 messages/s with the archive on) filled it, and the server stopped delivering in a
 * collector's death spiral (docs/benchmarks.md, "The bus under overload"). Paused, their TCP windows slow the senders
 * down instead. What was read already is handled; one gate serves every connection of a gateway.
 */
@ChannelHandler.Sharable
public final class BusBacklogGate extends ChannelInboundHandlerAdapter {

    private final StanzaBus bus;

    public BusBacklogGate(StanzaBus bus) {
        this.bus = bus;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
        if (bus.congested()) {
            Channel channel = ctx.channel();
            ReadGate gate = ReadGate.of(channel);
            if (!gate.pausedFor(ReadGate.Reason.BUS_BACKLOG)) {
                gate.pause(ReadGate.Reason.BUS_BACKLOG);
                bus.whenDrained(() -> channel.eventLoop().execute(() -> gate.resume(ReadGate.Reason.BUS_BACKLOG)));
            }
        }
    }
}
