package io.aviary.xep0060;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a subscription this service keeps (XEP-0060 §4.2): pending while a node's owner has not yet
 * authorized it (access model {@code authorize}), then subscribed. {@code none} is the absence of a subscription.
 */
public enum SubscriptionState {
    PENDING, SUBSCRIBED;

    /** The protocol value ({@code subscription} attribute). */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SubscriptionState> parse(String value) {
        for (SubscriptionState state : values()) {
            if (state.value().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
