package io.aviary.xep0045;

import java.util.Locale;

/** An occupant's privileges while in the room (XEP-0045 §5.1), strongest first. */
public enum Role {
    MODERATOR, PARTICIPANT, VISITOR, NONE;

    /** The attribute value ({@code moderator}, {@code none}, ...). */
    public String xml() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromXml(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
