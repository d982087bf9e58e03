package io.aviary.s2s;

/**
 * The consumer of {@link io.aviary.bus.Topics#S2S} in this process: there is exactly one bean of this type, so that
 * one consumer group reads the topic. The federation tier's consumer (outgoing server-to-server streams, which asks
 * {@link ComponentDomains} first) is one; where none is configured, the components' own consumer stands in for it
 * (see {@code io.aviary.xep0114.ComponentsOnlyDelivery}, created only when no other bean of this type exists).
 */
public interface RemoteDelivery extends AutoCloseable {

    /** Subscribes to the topic. */
    void start();

    @Override
    void close();
}
