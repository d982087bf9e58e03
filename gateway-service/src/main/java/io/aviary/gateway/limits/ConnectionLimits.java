package io.aviary.gateway.limits;

import io.aviary.gateway.stream.Transport;
import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on open client connections, over every listener of the gateway (TCP and HTTP): in total, and per client
 * address. A connection is counted from its acceptance until its channel closes.
 */
public final class ConnectionLimits {

    /** Why a connection was not admitted. */
    public enum Refusal {
        /** The gateway holds {@code max-connections} already. */
        GATEWAY_FULL,
        /** Its address holds {@code max-connections-per-address} already. */
        ADDRESS_FULL
    }

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();

    /** @param maxTotal connections in all, 0 for no cap; @param maxPerAddress connections per address, 0 for no cap */
    public ConnectionLimits(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts {@code channel} until it closes and returns null, or returns why it may not stay (then it is not counted). */
    public Refusal admit(Channel channel) {
        if (total.incrementAndGet() > maxTotal && maxTotal > 0) {
            total.decrementAndGet();
            return Refusal.GATEWAY_FULL;
        }
        String address = Transport.hostOf(channel.remoteAddress());
        int count = perAddress.merge(address, 1, Integer::sum);
        if (maxPerAddress > 0 && count > maxPerAddress) {
            release(address);
            return Refusal.ADDRESS_FULL;
        }
        channel.closeFuture().addListener(closed -> release(address));
        return null;
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        total.decrementAndGet();
    }
}
