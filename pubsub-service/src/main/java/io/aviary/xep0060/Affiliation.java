package io.aviary.xep0060;

import java.util.Optional;

/** An entity's affiliation with a node (XEP-0060 §4.1); {@code NONE} removes one. */
public enum Affiliation {
    OWNER, PUBLISHER, MEMBER, NONE, OUTCAST;

    public String value() {
        return ProtocolValues.of(this);
    }

    public static Optional<Affiliation> parse(String value) {
        return ProtocolValues.parse(Affiliation.class, value);
    }
}
