package io.aviary.gateway.limits;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a connection's input is read: reading stops while any reason to pause holds and resumes when none
 * does. The one owner of the channel's auto-read, so that reasons added later (a traffic shaper) do not resume
 * each other's pauses. Used on the channel's event loop only.
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

    public void resume(Reason reason) {
        if (pauses.remove(reason) && pauses.isEmpty()) {
            channel.config().setAutoRead(true);
        }
    }
}
