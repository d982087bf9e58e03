package io.aviary.bus;

import java.util.function.Consumer;

/**
 * The message bus between tiers. Messages with the same key are handed to subscribers in the
 * order they were published (per-user order, RFC 6120 §10.1); different keys may interleave.
 * One subscriber per group receives each message.
 */
public interface StanzaBus {

    void publish(String topic, String key, BusMessage message);

    /** Registers a handler; close the returned subscription to stop receiving. */
    Subscription subscribe(String topic, String group, Consumer<BusMessage> handler);

    /**
     * Has every later publication and subscription go through {@code interceptor} (tracing). Buses that cannot refuse
     * it; set before the bus is used.
     */
    default void intercept(BusInterceptor interceptor) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no interceptor");
    }

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
