package io.aviary.xep0060;

import java.util.Optional;

/**
 * When a node sends its last item unasked ({@code pubsub#send_last_published_item}, XEP-0060 §16.4.4): never, on a
 * new subscription (§6.1.7), or also when a subscriber's resource becomes available (XEP-0163 §4.3.4, PEP's default).
 */
public enum SendLastPublishedItem {
    NEVER, ON_SUB, ON_SUB_AND_PRESENCE;

    /** The form value. */
    public String value() {
        return ProtocolValues.of(this);
    }

    public static Optional<SendLastPublishedItem> parse(String value) {
        return ProtocolValues.parse(SendLastPublishedItem.class, value);
    }
}
