package io.aviary.xep0060;

/**
 * One JID's subscription to a node.
 *
 * @param jid the subscribed JID, bare or full, as the subscriber asked
 * @param deliver the subscription option {@code pubsub#deliver} (XEP-0060 §6.3): whether events are sent to it
 */
public record Subscription(String node, String jid, SubscriptionState state, boolean deliver) {

    public Subscription {
        if (node == null || jid == null || state == null) {
            throw new IllegalArgumentException("node, jid and state are required");
        }
    }

    /** A new subscription in the given state, delivering events. */
    public static Subscription of(String node, String jid, SubscriptionState state) {
        return new Subscription(node, jid, state, true);
    }

    public Subscription withState(SubscriptionState newState) {
        return new Subscription(node, jid, newState, deliver);
    }

    public Subscription withDeliver(boolean newDeliver) {
        return new Subscription(node, jid, state, newDeliver);
    }

    /** Whether events go to it: subscribed, with delivery on. */
    public boolean receivesEvents() {
        return state == SubscriptionState.SUBSCRIBED && deliver;
    }
}
