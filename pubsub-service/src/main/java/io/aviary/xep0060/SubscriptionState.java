package io.aviary.xep0060;

import java.util.Optional;

/**
 * The states of a subscription this service keeps (XEP-0060 §4.2): pending while a node's owner has not yet
 * authorized it (access model {@code authorize}), then subscribed. {@code none} is the absence of a subscription.
 */
public enum SubscriptionState {
    PENDING, SUBSCRIBED;

    /** The protocol value ({@code subscription} attribute). */
    public String value() {
        return ProtocolValues.of(this);
    }

    public static Optional<SubscriptionState> parse(String value) {
        return ProtocolValues.parse(SubscriptionState.class, value);
    }
}
