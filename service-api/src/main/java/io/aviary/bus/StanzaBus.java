package io.aviary.bus;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
     * Called by a handler while it handles a record, for work on the record that goes on after the handler returns (an
     * s2s stanza waiting for its stream): the bus does not count the record as handled until the hold is released, so
     * whoever consumes the topic next, after a crash or a stop of this process, gets it again (with what followed it:
     * at least once). Empty where nothing would be delivered again (the in-process bus) and outside a handler.
     */
    default Optional<Hold> hold() {
        return Optional.empty();
    }

    /**
     * Whether a subscriber group may be handed a record it has handled before: Kafka hands a group what follows its last
     * committed offset again after a crash or a rebalance (at least once). The in-process bus hands each record to its
     * lane once, and what is queued is lost with the process instead (at most once), so it says no.
     */
    default boolean redelivers() {
        return true;
    }

    /**
     * Whether other processes publish and handle on this bus too (Kafka between a cluster's instances). The in-process
     * bus says no: its process is the whole server and holds every session, so state that lives as long as they do may
     * stay in its memory ({@link io.aviary.capability.CapabilityContext#presenceStore}).
     */
    default boolean spansProcesses() {
        return true;
    }

    /**
     * Whether the bus holds more than it should of what it has not handed over yet: the gateways then stop reading from
     * their clients until {@link #whenDrained} (the senders' TCP windows slow them down), so that clients that together
     * send faster than the handlers drain cannot fill the memory. The in-process bus keeps its lanes' backlog on the
     * heap and says so past {@code aviary.bus.max-backlog}; Kafka's producer bounds its own buffer, so by default no.
     */
    default boolean congested() {
        return false;
    }

    /** Runs {@code task} once the bus is no longer {@link #congested} (at once when it is not); on any thread. */
    default void whenDrained(Runnable task) {
        task.run();
    }

    /**
     * Runs {@code task} each time this process is given a new share of {@code topic}'s records for {@code group} (a
     * cluster bus's rebalance), on the consuming thread, before any record of that share is handled; register before
     * subscribing. Another instance may have handled those keys meanwhile, so what a handler keeps in memory about them
     * is stale: the task forgets it. A bus within one process never reassigns, so by default nothing runs.
     */
    default void whenReassigned(String topic, String group, Runnable task) {
    }

    /** A record {@link #hold held}: release it when its work is done or has failed for good; from any thread. */
    @FunctionalInterface
    interface Hold {
        void release();

        /**
         * Runs {@code work} as part of the held record's handling, on any thread: what it publishes is identified as
         * the handler's own publications are, so that copies published again after a crash are recognised.
         */
        default void within(Runnable work) {
            work.run();
        }
    }

    /**
     * Has every later publication and subscription go through {@code interceptor} (tracing). Buses that cannot refuse
     * it; set before the bus is used.
     */
    default void intercept(BusInterceptor interceptor) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " takes no interceptor");
    }

    /**
     * How far each consumer group is behind on each topic: records published and not yet handled. Empty where nothing
     * can lag (the in-process bus hands each record to its lane at once). Blocking, bounded by {@code timeout}.
     *
     * @throws IllegalStateException when the bus cannot tell within {@code timeout}
     */
    default List<ConsumerLag> consumerLag(Duration timeout) {
        return List.of();
    }

    /** The records {@code group} has not yet handled on {@code topic}, all partitions together. */
    record ConsumerLag(String group, String topic, long lag) {
    }

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
