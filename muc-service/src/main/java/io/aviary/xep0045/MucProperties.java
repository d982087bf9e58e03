package io.aviary.xep0045;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Multi-user chat (XEP-0045) settings, under {@code aviary.muc}.
 *
 * @param address          {@code aviary.muc.address}: the service's JID (default {@code conference.<domain>})
 * @param name             {@code aviary.muc.name}: its name in disco (default {@code Chatrooms})
 * @param historyLength    {@code aviary.muc.history-length}: messages a new room keeps for newcomers (default 20;
 *                         its owner may change it up to {@code max-history})
 * @param maxHistory       {@code aviary.muc.max-history}: the most any room keeps (default 100)
 * @param maxOccupants     {@code aviary.muc.max-occupants}: the occupant limit of a new room (default 0, no limit)
 * @param roomCreation     {@code aviary.muc.room-creation}: who may create rooms: {@code local} (accounts of the
 *                         domain, the default), {@code anyone}, or {@code listed} (only {@code creators})
 * @param creators         {@code aviary.muc.creators}: bare JIDs that may create rooms when {@code room-creation} is
 *                         {@code listed}
 * @param maxRoomNameLength {@code aviary.muc.max-room-name-length}: the longest room localpart (default 64)
 * @param maxNickLength    {@code aviary.muc.max-nick-length}: the longest nickname, in characters (default 64)
 * @param occupantIdSecret {@code aviary.muc.occupant-id-secret}: mixed into XEP-0421 occupant ids beside each room's
 *                         own random salt (optional: the salt alone keeps ids unlinkable to real JIDs)
 * @param archiveByDefault {@code aviary.muc.archive-by-default}: whether a new room archives its messages (XEP-0313,
 *                         while the server runs an archive); its owner may change it (default true, as Prosody's
 *                         {@code muc_log_by_default})
 * @param adminsAreOwners  {@code aviary.muc.admins-are-owners}: whether the server's administrators ({@code
 *                         aviary.admins}) are owners of every room and may create rooms whoever else may (default
 *                         true, as Prosody's {@code component_admins_as_room_owners}); they are not listed among a
 *                         room's owners
 */
@ConfigurationProperties(prefix = "aviary.muc")
public record MucProperties(String address,
                            @DefaultValue("Chatrooms") String name,
                            @DefaultValue("20") int historyLength,
                            @DefaultValue("100") int maxHistory,
                            @DefaultValue("0") int maxOccupants,
                            @DefaultValue("local") RoomCreation roomCreation,
                            @DefaultValue List<String> creators,
                            @DefaultValue("64") int maxRoomNameLength,
                            @DefaultValue("64") int maxNickLength,
                            @DefaultValue("") String occupantIdSecret,
                            @DefaultValue("true") boolean archiveByDefault,
                            @DefaultValue("true") boolean adminsAreOwners) {

    /** Who may create rooms. */
    public enum RoomCreation { LOCAL, ANYONE, LISTED }

    public MucProperties {
        if (historyLength < 0 || maxHistory < historyLength) {
            throw new IllegalArgumentException("aviary.muc.history-length must be between 0 and aviary.muc.max-history");
        }
        if (maxOccupants < 0) {
            throw new IllegalArgumentException("aviary.muc.max-occupants must not be negative (0: no limit)");
        }
        if (maxRoomNameLength < 1 || maxNickLength < 1) {
            throw new IllegalArgumentException("aviary.muc.max-room-name-length and max-nick-length must be positive");
        }
        creators = creators == null ? List.of() : List.copyOf(creators);
    }

    /** The defaults, for tests and for a service started without Spring. */
    public static MucProperties defaults() {
        return new MucProperties(null, "Chatrooms", 20, 100, 0, RoomCreation.LOCAL, List.of(), 64, 64, "", true, true);
    }
}
