package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.muc.RoomSchema;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** The room store contract on H2 (its default mode, as the standalone app's file uses), migrated by RoomSchema. */
class JdbcRoomStoreTest extends RoomStoreContract {

    @Override
    protected RoomStore store() {
        return new JdbcRoomStore(database());
    }

    /** A fresh, empty, migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:muc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        RoomSchema.migrate(dataSource);
        return dataSource;
    }

    @Test
    void presencesAndMessagesComeBackWithTheirPayloadsAndEscapes() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        XmlElement presence = XmlElement.builder("presence", "jabber:client")
                .child(XmlElement.builder("status", "jabber:client").text("<away> & \"out\"").build())
                .child(XmlElement.builder("c", "http://jabber.org/protocol/caps").attribute("hash", "sha-1")
                        .attribute("node", "https://example.org").attribute("ver", "QgayPKawpkPSDYmwT/WM94uAlu0=")
                        .build())
                .build();
        Occupant occupant = new Occupant("hag", HAG, Role.PARTICIPANT, presence, "occ-1");
        store.saveOccupant(ROOM, occupant);
        XmlElement message = message("tea & <biscuits>");
        store.appendHistory(ROOM, new HistoryEntry(Instant.parse("2026-12-03T10:00:00.123456Z"), message), 3);

        assertThat(store.occupants(ROOM)).containsExactly(occupant);
        assertThat(store.history(ROOM)).containsExactly(
                new HistoryEntry(Instant.parse("2026-12-03T10:00:00.123456Z"), message));
    }

    @Test
    void aJidLongerThanAnIndexEntryIsStillFound() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        EntityFullJid longResource = JidCreate.entityFullFromOrThrowUnchecked("hag66@example.org/" + "r".repeat(1000));
        store.saveOccupant(ROOM, occupant("long", longResource, Role.PARTICIPANT));

        assertThat(store.roomsOf(longResource)).containsExactly(ROOM);
        store.removeOccupant(ROOM, longResource);
        assertThat(store.occupants(ROOM)).isEmpty();
    }

    @Test
    void aHistoryOfNoneKeepsNothing() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        store.appendHistory(ROOM, new HistoryEntry(Instant.now(), message("gone")), 0);

        assertThat(store.history(ROOM)).isEmpty();
    }

    @Test
    void clearingOccupantsKeepsPersistentRoomsAndRemovesTemporaryOnes() {
        JdbcRoomStore store = new JdbcRoomStore(database());
        Room persistent = room(ROOM).withConfig(RoomConfig.DEFAULT.withFields(
                Map.of("muc#roomconfig_persistentroom", List.of("1")))).unlocked();
        store.saveRoom(persistent);
        store.saveRoom(room(OTHER_ROOM)); // temporary, the default
        store.saveOccupant(ROOM, occupant("firstwitch", CROSSING, Role.MODERATOR));
        store.saveOccupant(OTHER_ROOM, occupant("hag", HAG, Role.PARTICIPANT));
        store.appendHistory(ROOM, new HistoryEntry(Instant.parse("2026-12-03T10:00:00Z"), message("kept")), 5);

        assertThat(store.clearOccupants()).containsExactly(OTHER_ROOM);

        assertThat(store.room(ROOM)).contains(persistent);
        assertThat(store.occupants(ROOM)).isEmpty();
        assertThat(store.history(ROOM)).hasSize(1);
        assertThat(store.room(OTHER_ROOM)).isEmpty();
        assertThat(store.roomsOf(HAG)).isEmpty();
        assertThat(store.roomsOf(CROSSING)).isEmpty();
    }
}
