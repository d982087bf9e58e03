package io.aviary.xep0045;

import java.util.Locale;

/** A user's long-lived relation to a room (XEP-0045 §5.2), strongest first. */
public enum Affiliation {
    OWNER, ADMIN, MEMBER, NONE, OUTCAST;

    /** The attribute value ({@code owner}, {@code none}, ...). */
    public String xml() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Affiliation fromXml(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
