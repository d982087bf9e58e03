package io.aviary.xep0060;

import java.util.Optional;

/** Who may subscribe to a node and retrieve its items (XEP-0060 §4.5). */
public enum AccessModel {
    OPEN, PRESENCE, ROSTER, WHITELIST, AUTHORIZE;

    /** The form value ({@code pubsub#access_model}). */
    public String value() {
        return ProtocolValues.of(this);
    }

    public static Optional<AccessModel> parse(String value) {
        return ProtocolValues.parse(AccessModel.class, value);
    }
}
