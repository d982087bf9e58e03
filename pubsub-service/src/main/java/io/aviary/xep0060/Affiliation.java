package io.aviary.xep0060;

import java.util.Locale;
import java.util.Optional;

/** An entity's affiliation with a node (XEP-0060 §4.1); {@code NONE} removes one. */
public enum Affiliation {
    OWNER, PUBLISHER, MEMBER, NONE, OUTCAST;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Affiliation> parse(String value) {
        for (Affiliation affiliation : values()) {
            if (affiliation.value().equals(value)) {
                return Optional.of(affiliation);
            }
        }
        return Optional.empty();
    }
}
