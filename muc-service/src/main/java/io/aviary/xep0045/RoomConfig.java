package io.aviary.xep0045;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A room's configuration (XEP-0045 §10.2, the {@code muc#roomconfig} form). {@link #toFields()} and
 * {@link #fromFields} convert it to and from the form's field values by {@code var}, which is also how stores keep
 * it, so a new field needs no schema change. {@code password} is empty when the room has none; {@code maxUsers} 0
 * means no limit. {@code presenceBroadcast}: the roles whose presence everyone gets (others get only their own).
 * {@code hats}: the XEP-0317 hats users wear in the room. {@code archiving}: the room's messages go to its archive (XEP-0313). {@code occupantIdSalt} is the room's random key of its XEP-0421 occupant ids: kept with the
 * configuration (so every service instance derives the same ids) but never part of the owner's form.
 */
public record RoomConfig(
        String name,
        String description,
        boolean persistent,
        boolean publicRoom,
        boolean moderated,
        boolean membersOnly,
        String password,
        Whois whois,
        int maxUsers,
        boolean allowInvites,
        boolean changeSubject,
        PrivateMessages allowPrivateMessages,
        int historyLength,
        boolean logging,
        boolean archiving,
        String occupantIdSalt,
        List<Hat> hats,
        Set<Role> presenceBroadcast) {

    /** Who sees occupants' real JIDs ({@code muc#roomconfig_whois}): non-anonymous rooms are {@link #ANYONE}. */
    public enum Whois {
        MODERATORS, ANYONE;

        public String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who may send private messages to occupants ({@code muc#roomconfig_allowpm}). */
    public enum PrivateMessages {
        ANYONE, PARTICIPANTS, MODERATORS, NONE;

        public String xml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a new room starts with (Prosody's and ejabberd's defaults: temporary, public, semi-anonymous, open). */
    public static final RoomConfig DEFAULT = new RoomConfig("", "", false, true, false, false, "", Whois.MODERATORS,
            0, false, false, PrivateMessages.ANYONE, 20, false, true, "", List.of(), Role.OCCUPYING);

    /**
     * Whether the room keeps its messages in the server's archive (XEP-0313 for rooms): the field Prosody's
     * mod_muc_mam offers, so clients that know it show it under that name.
     */
    public static final String ENABLE_ARCHIVING = "muc#roomconfig_enablearchiving";

    /** The roles whose presence the room broadcasts (§10.2 {@code muc#roomconfig_presencebroadcast}). */
    public static final String PRESENCE_BROADCAST = "muc#roomconfig_presencebroadcast";

    /** The stored field of {@link #hats}, which the configuration form leaves out (owners use the hat commands). */
    public static final String HATS = "x-aviary#hats";

    /** The stored field of {@link #occupantIdSalt}, which the configuration form leaves out. */
    public static final String OCCUPANT_ID_SALT = "x-aviary#occupantidsalt";

    public RoomConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(whois, "whois");
        Objects.requireNonNull(allowPrivateMessages, "allowPrivateMessages");
        occupantIdSalt = occupantIdSalt == null ? "" : occupantIdSalt;
        hats = hats == null ? List.of() : List.copyOf(hats);
        presenceBroadcast = presenceBroadcast == null ? Role.OCCUPYING : Set.copyOf(presenceBroadcast);
        if (presenceBroadcast.contains(Role.NONE)) {
            throw new IllegalArgumentException("muc#roomconfig_presencebroadcast: moderator, participant or visitor");
        }
        if (maxUsers < 0 || historyLength < 0) {
            throw new IllegalArgumentException("maxUsers and historyLength are not negative");
        }
    }

    public boolean passwordProtected() {
        return !password.isEmpty();
    }

    /** The values by field {@code var}, as the configuration form carries them. */
    public Map<String, List<String>> toFields() {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("muc#roomconfig_roomname", List.of(name));
        fields.put("muc#roomconfig_roomdesc", List.of(description));
        fields.put("muc#roomconfig_persistentroom", bool(persistent));
        fields.put("muc#roomconfig_publicroom", bool(publicRoom));
        fields.put("muc#roomconfig_moderatedroom", bool(moderated));
        fields.put("muc#roomconfig_membersonly", bool(membersOnly));
        fields.put("muc#roomconfig_passwordprotectedroom", bool(passwordProtected()));
        fields.put("muc#roomconfig_roomsecret", List.of(password));
        fields.put("muc#roomconfig_whois", List.of(whois.xml()));
        fields.put("muc#roomconfig_maxusers", List.of(maxUsers == 0 ? "none" : Integer.toString(maxUsers)));
        fields.put("muc#roomconfig_allowinvites", bool(allowInvites));
        fields.put("muc#roomconfig_changesubject", bool(changeSubject));
        fields.put("muc#roomconfig_allowpm", List.of(allowPrivateMessages.xml()));
        fields.put("muc#maxhistoryfetch", List.of(Integer.toString(historyLength)));
        fields.put("muc#roomconfig_enablelogging", bool(logging));
        fields.put(ENABLE_ARCHIVING, bool(archiving));
        fields.put(PRESENCE_BROADCAST, Role.OCCUPYING_ORDER.stream().filter(presenceBroadcast::contains).map(Role::xml)
                .toList());
        fields.put(OCCUPANT_ID_SALT, List.of(occupantIdSalt));
        fields.put(HATS, hats.stream().map(Hat::stored).toList());
        return fields;
    }

    /**
     * This configuration with the given field values applied; fields not given keep their value. A value that does
     * not parse is an {@link IllegalArgumentException} (the owner gets {@code not-acceptable}).
     */
    public RoomConfig withFields(Map<String, List<String>> fields) {
        String newPassword = text(fields, "muc#roomconfig_roomsecret", password);
        if (fields.containsKey("muc#roomconfig_passwordprotectedroom")
                && !flag(fields, "muc#roomconfig_passwordprotectedroom", true)) {
            newPassword = "";
        }
        return new RoomConfig(
                text(fields, "muc#roomconfig_roomname", name),
                text(fields, "muc#roomconfig_roomdesc", description),
                flag(fields, "muc#roomconfig_persistentroom", persistent),
                flag(fields, "muc#roomconfig_publicroom", publicRoom),
                flag(fields, "muc#roomconfig_moderatedroom", moderated),
                flag(fields, "muc#roomconfig_membersonly", membersOnly),
                newPassword,
                Whois.valueOf(text(fields, "muc#roomconfig_whois", whois.xml()).toUpperCase(Locale.ROOT)),
                maxUsers(text(fields, "muc#roomconfig_maxusers", Integer.toString(maxUsers))),
                flag(fields, "muc#roomconfig_allowinvites", allowInvites),
                flag(fields, "muc#roomconfig_changesubject", changeSubject),
                PrivateMessages.valueOf(text(fields, "muc#roomconfig_allowpm", allowPrivateMessages.xml())
                        .toUpperCase(Locale.ROOT)),
                Integer.parseInt(text(fields, "muc#maxhistoryfetch", Integer.toString(historyLength))),
                flag(fields, "muc#roomconfig_enablelogging", logging),
                flag(fields, ENABLE_ARCHIVING, archiving),
                text(fields, OCCUPANT_ID_SALT, occupantIdSalt),
                fields.containsKey(HATS) ? fields.get(HATS).stream().map(Hat::fromStored).toList() : hats,
                fields.containsKey(PRESENCE_BROADCAST)
                        ? fields.get(PRESENCE_BROADCAST).stream().map(Role::fromXml).collect(Collectors.toSet())
                        : presenceBroadcast);
    }

    public RoomConfig withOccupantIdSalt(String salt) {
        return new RoomConfig(name, description, persistent, publicRoom, moderated, membersOnly, password, whois,
                maxUsers, allowInvites, changeSubject, allowPrivateMessages, historyLength, logging, archiving, salt,
                hats, presenceBroadcast);
    }

    /** With {@code hats} in place of the room's hats (XEP-0317). */
    public RoomConfig withHats(List<Hat> replacement) {
        return new RoomConfig(name, description, persistent, publicRoom, moderated, membersOnly, password, whois,
                maxUsers, allowInvites, changeSubject, allowPrivateMessages, historyLength, logging, archiving,
                occupantIdSalt, replacement, presenceBroadcast);
    }

    /** A configuration from stored field values, starting from {@link #DEFAULT}. */
    public static RoomConfig fromFields(Map<String, List<String>> fields) {
        return DEFAULT.withFields(fields);
    }

    private static List<String> bool(boolean value) {
        return List.of(value ? "1" : "0");
    }

    private static String text(Map<String, List<String>> fields, String var, String otherwise) {
        List<String> values = fields.get(var);
        return values == null || values.isEmpty() ? otherwise : values.get(0);
    }

    /** XEP-0004 §3.3 boolean: {@code 0}, {@code 1}, {@code false}, {@code true}. */
    private static boolean flag(Map<String, List<String>> fields, String var, boolean otherwise) {
        String value = text(fields, var, null);
        if (value == null) {
            return otherwise;
        }
        return switch (value) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw new IllegalArgumentException(var + ": not a boolean: " + value);
        };
    }

    private static int maxUsers(String value) {
        return value.equals("none") ? 0 : Integer.parseInt(value);
    }
}
