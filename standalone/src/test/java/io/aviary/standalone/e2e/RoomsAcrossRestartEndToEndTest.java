package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.xep0045.JdbcRoomStore;
import io.aviary.xep0045.Occupant;
import io.aviary.xep0045.Role;
import io.aviary.xep0045.Room;
import io.aviary.xep0045.RoomConfig;
import io.aviary.xep0045.RoomStore;
import io.aviary.xep0045.Subject;
import io.aviary.xep0313.ArchiveStore;
import io.aviary.xep0313.ArchivedMessage;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The standalone app keeps its rooms in its embedded database: a persistent room is there again after a restart,
 * while the occupants the previous run left (sessions that died with it, as after a kill) are gone and so are the
 * temporary rooms they kept open ({@code aviary.muc.clear-occupants-on-start}, on in the app's defaults), with their
 * archives.
 */
class RoomsAcrossRestartEndToEndTest {

    private static final EntityBareJid LIBRARY = JidCreate.entityBareFromOrThrowUnchecked("library@conference.localhost");
    private static final EntityBareJid LOUNGE = JidCreate.entityBareFromOrThrowUnchecked("lounge@conference.localhost");
    private static final EntityFullJid GHOST = JidCreate.entityFullFromOrThrowUnchecked("hamlet@localhost/ramparts");

    @Test
    void persistentRoomsComeBackWithoutThePreviousRunsOccupants() throws Exception {
        Path dataDir = Files.createTempDirectory("aviary-rooms");
        Room library = new Room(LIBRARY, RoomConfig.DEFAULT.withFields(Map.of(
                "muc#roomconfig_persistentroom", List.of("1"), "muc#roomconfig_roomname", List.of("The Library"))),
                Map.of(), new Subject("Words, words, words", "polonius"), false, Instant.parse("2026-12-03T06:00:00Z"));
        try (AviaryTestServer first = AviaryTestServer.start(dataDir)) {
            RoomStore rooms = first.context().getBean(RoomStore.class);
            assertThat(rooms).as("the embedded database's store").isInstanceOf(JdbcRoomStore.class);
            rooms.saveRoom(library);
            rooms.saveRoom(new Room(LOUNGE, RoomConfig.DEFAULT, Map.of(), Subject.NONE, false,
                    Instant.parse("2026-12-03T06:00:00Z")));
            // Occupants whose sessions will not survive the process: they never leave.
            Occupant ghost = new Occupant("hamlet", GHOST, Role.PARTICIPANT,
                    XmlElement.empty("presence", "jabber:client"), "occ-hamlet");
            rooms.saveOccupant(LIBRARY, ghost);
            rooms.saveOccupant(LOUNGE, ghost);
            ArchiveStore archive = first.context().getBean(ArchiveStore.class);
            assertThat(archive.append(said(LIBRARY, "Though this be madness, yet there is method in't"))).isTrue();
            assertThat(archive.append(said(LOUNGE, "Something is rotten in the state of Denmark"))).isTrue();
        }

        try (AviaryTestServer second = AviaryTestServer.start(dataDir)) {
            RoomStore rooms = second.context().getBean(RoomStore.class);
            assertThat(rooms.room(LIBRARY)).contains(library);
            assertThat(rooms.occupants(LIBRARY)).isEmpty();
            assertThat(rooms.room(LOUNGE)).as("a temporary room left empty").isEmpty();
            assertThat(rooms.roomsOf(GHOST)).isEmpty();
            // The lounge was destroyed (§10.1.1), so its archive went too; the library's stays.
            ArchiveStore archive = second.context().getBean(ArchiveStore.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (archive.bounds(LOUNGE.toString()).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(archive.bounds(LOUNGE.toString())).as("the temporary room's archive").isEmpty();
            assertThat(archive.bounds(LIBRARY.toString())).as("the persistent room's archive").isPresent();
        }
    }

    /** A groupchat message in {@code room}'s archive, as the room repeated it. */
    private static ArchivedMessage said(EntityBareJid room, String body) {
        XmlElement message = XmlElement.builder("message", "jabber:client").attribute("type", "groupchat")
                .attribute("from", room + "/hamlet").attribute("to", GHOST.toString())
                .child(XmlElement.builder("body", "jabber:client").text(body).build()).build();
        return new ArchivedMessage(room.toString(), "id-" + room.getLocalpart(), Instant.parse("2026-12-03T06:30:00Z"),
                ArchiveRecord.Direction.INCOMING, room + "/hamlet", null, message, false);
    }
}
