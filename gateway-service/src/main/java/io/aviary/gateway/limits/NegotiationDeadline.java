package io.aviary.gateway.limits;

import io.aviary.gateway.stream.ClientSession;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The time a connection has to authenticate and bind ({@code aviary.gateway.negotiation-timeout}). The idle
 * timeout alone does not bound negotiation: one byte every few seconds keeps a stream from being idle.
 */
public final class NegotiationDeadline {

    private NegotiationDeadline() {
    }

    /** Ends {@code session} unless bound {@code timeout} from now; forgotten when the channel closes first. */
    public static void arm(Channel channel, ClientSession session, Duration timeout) {
        var deadline = channel.eventLoop().schedule(session::negotiationTimedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> deadline.cancel(false));
    }
}
