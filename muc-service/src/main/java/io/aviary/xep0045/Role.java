package io.aviary.xep0045;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** An occupant's privileges while in the room (XEP-0045 §5.1), strongest first. */
public enum Role {
    MODERATOR, PARTICIPANT, VISITOR, NONE;

    /** The roles of occupants, in the order the configuration form lists them. */
    public static final List<Role> OCCUPYING_ORDER = List.of(MODERATOR, PARTICIPANT, VISITOR);
    /** The same as a set: the default of {@code muc#roomconfig_presencebroadcast}. */
    public static final Set<Role> OCCUPYING = Set.copyOf(OCCUPYING_ORDER);

    /** The attribute value ({@code moderator}, {@code none}, ...). */
    public String xml() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromXml(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
