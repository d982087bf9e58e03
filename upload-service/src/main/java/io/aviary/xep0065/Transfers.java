package io.aviary.xep0065;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy's transfers by their hash (XEP-0065 §5.3.2 and §6.3.2: DST.ADDR = SHA1(SID + Requester JID + Target
 * JID)): the first SOCKS5 connection for a hash is the target's, the second the requester's (§6.3.3: the target
 * connects after it got the streamhosts, the requester only after the target said which one it used); nothing is
 * relayed until the requester activates the pair (§6.3.4). Pending and activated transfers together are bounded.
 */
final class Transfers {

    /** How a SOCKS5 connection joined. */
    enum Join { TARGET, REQUESTER, FULL, TAKEN }

    /** What an activation request found. */
    enum Activation { ACTIVATED, NO_SUCH_PAIR, NOT_ALLOWED }

    private final Map<String, Transfer> byHash = new ConcurrentHashMap<>();
    private final int maxTransfers;
    private final long maxBytes;
    private final Counter activated;
    private final Counter relayed;

    Transfers(int maxTransfers, long maxBytes, MeterRegistry meters) {
        this.maxTransfers = maxTransfers;
        this.maxBytes = maxBytes;
        this.activated = Counter.builder("aviary.proxy65.transfers").description("transfers activated")
                .register(meters);
        this.relayed = Counter.builder("aviary.proxy65.bytes").description("bytes relayed, both directions")
                .baseUnit("bytes").register(meters);
        Gauge.builder("aviary.proxy65.open", byHash, Map::size)
                .description("transfers pending or relaying").register(meters);
    }

    /** The hash SOCKS5 clients use for {@code sid} between {@code requester} and {@code target} (lower-case hex). */
    static String hash(String sid, String requester, String target) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((sid + requester + target).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Join join(String hash, Channel channel) {
        Join[] result = new Join[1];
        byHash.compute(hash, (key, transfer) -> {
            if (transfer == null) {
                if (byHash.size() >= maxTransfers) {
                    result[0] = Join.FULL;
                    return null;
                }
                result[0] = Join.TARGET;
                return new Transfer(channel);
            }
            if (transfer.requester == null) {
                transfer.requester = channel;
                result[0] = Join.REQUESTER;
            } else {
                result[0] = Join.TAKEN;
            }
            return transfer;
        });
        return result[0];
    }

    /** Activates the pair of {@code hash}: from then on each connection's bytes go to the other. */
    Activation activate(String hash) {
        Transfer transfer = byHash.get(hash);
        if (transfer == null) {
            return Activation.NO_SUCH_PAIR;
        }
        synchronized (transfer) {
            // not-allowed "if only one party (either Requester or Target, but not both) is connected to the Proxy";
            // a second activation of a relaying pair is refused the same way.
            if (transfer.requester == null || transfer.activated) {
                return Activation.NOT_ALLOWED;
            }
            transfer.activated = true;
        }
        activated.increment();
        Channel target = transfer.target;
        Channel requester = transfer.requester;
        Socks5Connection.of(target).ifPresent(connection -> connection.relayTo(requester, transfer));
        Socks5Connection.of(requester).ifPresent(connection -> connection.relayTo(target, transfer));
        return Activation.ACTIVATED;
    }

    /** Whether the pair of {@code hash} was activated: its connections relay, or are about to. */
    boolean activated(String hash) {
        Transfer transfer = byHash.get(hash);
        if (transfer == null) {
            return false;
        }
        synchronized (transfer) {
            return transfer.activated;
        }
    }

    /**
     * A connection of {@code hash} closed: the transfer ends, and the other connection is closed once what was
     * already written to it has gone out.
     */
    void left(String hash, Channel channel) {
        Transfer transfer = byHash.get(hash);
        if (transfer == null || (transfer.target != channel && transfer.requester != channel)) {
            return;
        }
        byHash.remove(hash, transfer);
        for (Channel other : new Channel[] {transfer.target, transfer.requester}) {
            if (other != null && other != channel) {
                other.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    int open() {
        return byHash.size();
    }

    /** One pair of connections; the byte count is shared by both directions. */
    final class Transfer {

        private final Channel target;
        private volatile Channel requester;
        private boolean activated;
        private final AtomicLong bytes = new AtomicLong();

        private Transfer(Channel target) {
            this.target = target;
        }

        /** Counts {@code count} more bytes relayed; false once the transfer is over its limit. */
        boolean count(int count) {
            relayed.increment(count);
            return bytes.addAndGet(count) <= maxBytes;
        }
    }
}
