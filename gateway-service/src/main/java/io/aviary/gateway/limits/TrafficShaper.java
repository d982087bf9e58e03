package io.aviary.gateway.limits;

import io.aviary.backpressure.ReadGate;
import io.aviary.gateway.stream.InputShaping;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;

/**
 * The traffic shaper of one TCP or WebSocket connection (as ejabberd's shapers and Prosody's mod_limits): a bucket of
 * bytes, counted here as they are read (plain text after TLS; WebSocket frame payloads), and a bucket of first-level
 * elements, counted by the stream. When either is in debt the connection is not read from ({@link ReadGate}) until
 * both have refilled; what was read already is still processed, so a client may overdraw by one read (at most 64 KiB,
 * Netty's largest read buffer), which the pause then pays back. Until SASL success the stricter unauthenticated rates
 * apply; the authenticated buckets start full. Used on the channel's event loop only.
 */
public final class TrafficShaper extends ChannelInboundHandlerAdapter implements InputShaping {

    private final Channel channel;
    private final ShaperProperties properties;
    private TokenBucket bytes;
    private TokenBucket stanzas;
    /** A check that the buckets have refilled is scheduled; reading is paused until it finds them so. */
    private boolean waiting;

    public TrafficShaper(Channel channel, ShaperProperties properties) {
        this.channel = channel;
        this.properties = properties;
        this.bytes = bucket(properties.unauthenticatedBytesPerSecond().toBytes(), properties.unauthenticatedBytesBurst().toBytes());
        this.stanzas = bucket(properties.unauthenticatedStanzasPerSecond(), properties.unauthenticatedStanzasBurst());
    }

    private static TokenBucket bucket(long ratePerSecond, long burst) {
        return new TokenBucket(ratePerSecond, burst, System::nanoTime);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes.take(buf.readableBytes());
        } else if (msg instanceof ByteBufHolder frame) {
            bytes.take(frame.content().readableBytes());
        }
        enforce();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void stanzaReceived() {
        stanzas.take(1);
        enforce();
    }

    @Override
    public void authenticated() {
        bytes = bucket(properties.authenticatedBytesPerSecond().toBytes(), properties.authenticatedBytesBurst().toBytes());
        stanzas = bucket(properties.authenticatedStanzasPerSecond(), properties.authenticatedStanzasBurst());
    }

    private void enforce() {
        if (waiting) {
            return;
        }
        long wait = nanosUntilSolvent();
        if (wait > 0) {
            ReadGate.of(channel).pause(ReadGate.Reason.RATE_EXCEEDED);
            waitFor(wait);
        }
    }

    private void waitFor(long nanos) {
        waiting = true;
        channel.eventLoop().schedule(this::refilled, nanos, TimeUnit.NANOSECONDS);
    }

    /** Elements parsed from the last read may have overdrawn the buckets further meanwhile. */
    private void refilled() {
        long wait = nanosUntilSolvent();
        if (wait > 0) {
            waitFor(wait);
        } else {
            waiting = false;
            ReadGate.of(channel).resume(ReadGate.Reason.RATE_EXCEEDED);
        }
    }

    private long nanosUntilSolvent() {
        return Math.max(bytes.nanosUntilSolvent(), stanzas.nanosUntilSolvent());
    }
}
