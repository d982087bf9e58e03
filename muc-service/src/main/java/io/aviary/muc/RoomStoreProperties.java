package io.aviary.muc;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the group chat service keeps its rooms, under {@code aviary.muc}.
 *
 * @param store                  {@code aviary.muc.store}: {@code jdbc} (the application's database: the standalone
 *                               app's embedded file, PostgreSQL in a cluster) or {@code memory} (lost with the
 *                               process); unset (the default): {@code jdbc} when the application has a database,
 *                               {@code memory} otherwise
 * @param clearOccupantsOnStart  {@code aviary.muc.clear-occupants-on-start}: on start, forget every occupant and
 *                               remove the temporary rooms (persistent rooms stay, empty). Right where every session
 *                               ended with the process, as in the standalone app, which sets it; wrong in a cluster,
 *                               where the occupants are other instances' and the gateways' live sessions (default
 *                               false)
 */
@ConfigurationProperties("aviary.muc")
public record RoomStoreProperties(Store store, boolean clearOccupantsOnStart) {

    /** The kinds of room store. */
    public enum Store { JDBC, MEMORY }
}
