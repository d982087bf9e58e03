package io.aviary.backpressure;

import io.aviary.bus.StanzaBus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * Stops reading a connection while the bus is {@link StanzaBus#congested congested}, until it drains: a client's, a
 * remote server's or a component's. The standalone bus keeps what its lanes have not handled yet on the heap: clients
 * that together send faster than the lanes drain (a thousand users at 24,000 messages/s with the archive on) filled it,
 * and the server stopped delivering in a collector's death spiral (docs/benchmarks.md, "The bus under overload").
 * Paused, the peers' TCP windows slow them down instead. The read that finds the bus congested is still handled, so
 * one read per connection can pass the bound. The gate keeps no state of its own (each channel's {@link ReadGate}
 * does), so one serves every connection of a listener.
 *
 * <p>Reads asked for while the pause holds are held back ({@link #read}): Netty's traffic shaper, which the s2s
 * listener uses, turns auto-read back on when its own pause ends, whatever else paused the connection, and would
 * otherwise read a peer within its rate all the while the bus is behind.
 */
@ChannelHandler.Sharable
public final class BusBacklogGate extends ChannelDuplexHandler {

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

    @Override
    public void read(ChannelHandlerContext ctx) {
        // Asked for at the end of every read: a connection that was never paused gets no gate here.
        if (!ReadGate.pausedFor(ctx.channel(), ReadGate.Reason.BUS_BACKLOG)) {
            ctx.read();
        }
    }
}
