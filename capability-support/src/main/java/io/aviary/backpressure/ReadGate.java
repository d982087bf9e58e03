package io.aviary.backpressure;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a connection's input is read: reading stops while any reason to pause holds and resumes when none
 * does. The one owner of the channel's auto-read among Aviary's handlers, so that one reason's end does not resume
 * another's pause. Used on the channel's event loop only.
 */
public final class ReadGate {

    /** Why reading is paused. */
    public enum Reason {
        /** Output to the client waits to be sent: its requests would only add replies to the queue. */
        OUTPUT_BACKLOG,
        /** The client sent more than its traffic shaper allows: reading resumes when the shaper's buckets refill. */
        RATE_EXCEEDED,
        /** The bus holds too much not yet handled ({@link io.aviary.bus.StanzaBus#congested}): until it drains. */
        BUS_BACKLOG
    }

    private static final AttributeKey<ReadGate> KEY = AttributeKey.valueOf(ReadGate.class.getName());

    private final Channel channel;
    private final Set<Reason> pauses = EnumSet.noneOf(Reason.class);

    private ReadGate(Channel channel) {
        this.channel = channel;
    }

    /** The gate of {@code channel}. */
    public static ReadGate of(Channel channel) {
        ReadGate gate = channel.attr(KEY).get();
        if (gate == null) {
            gate = new ReadGate(channel);
            channel.attr(KEY).set(gate);
        }
        return gate;
    }

    public void pause(Reason reason) {
        pauses.add(reason);
        channel.config().setAutoRead(false);
    }

    public boolean pausedFor(Reason reason) {
        return pauses.contains(reason);
    }

    /** Whether {@code channel}'s reading is paused for {@code reason}; gives no gate to a channel that has none yet. */
    public static boolean pausedFor(Channel channel, Reason reason) {
        ReadGate gate = channel.hasAttr(KEY) ? channel.attr(KEY).get() : null;
        return gate != null && gate.pausedFor(reason);
    }

    /**
     * Ends the pause for {@code reason}; once no other holds, reading resumes. Turning auto-read on asks for a read;
     * but another handler (Netty's traffic shaper) may have turned it on meanwhile, and the read it asked for then was
     * held back ({@link BusBacklogGate#read}), so that one is asked for again.
     */
    public void resume(Reason reason) {
        if (pauses.remove(reason) && pauses.isEmpty()) {
            if (channel.config().isAutoRead()) {
                channel.read();
            } else {
                channel.config().setAutoRead(true);
            }
        }
    }
}
