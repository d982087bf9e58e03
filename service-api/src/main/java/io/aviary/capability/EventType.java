package io.aviary.capability;

import java.util.Objects;

/** A named event and the type of what it carries: the names are what declarations list. */
public record EventType<T>(String name, Class<T> payload) {

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(payload, "payload");
    }
}
