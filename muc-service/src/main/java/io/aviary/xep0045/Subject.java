package io.aviary.xep0045;

import java.util.Objects;

/** A room's subject (§8.1) and the nickname of the occupant who set it ({@code by} empty when the room set it). */
public record Subject(String text, String by) {

    public static final Subject NONE = new Subject("", "");

    public Subject {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(by, "by");
    }
}
