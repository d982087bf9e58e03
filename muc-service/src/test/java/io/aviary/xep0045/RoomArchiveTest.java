package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveRecord;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

class RoomArchiveTest {

    private static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("cauldron@conference.example.org");
    private static final EntityBareJid OTHER = JidCreate.entityBareFromOrThrowUnchecked("heath@conference.example.org");

    @Test
    void aRecordHandledAgainGetsTheSameStanzaIdSoItsCopiesAreRecognised() {
        assertThat(RoomArchive.idFor(ROOM, "publication-1")).isEqualTo(RoomArchive.idFor(ROOM, "publication-1"))
                .isNotEqualTo(RoomArchive.idFor(ROOM, "publication-2"))
                .isNotEqualTo(RoomArchive.idFor(OTHER, "publication-1"));
    }

    @Test
    void withoutABusRecordIdEachMessageGetsAFreshOne() {
        assertThat(RoomArchive.idFor(ROOM, null)).isNotEqualTo(RoomArchive.idFor(ROOM, null));
    }

    @Test
    void aDestroyedRoomsArchiveIsRemovedAfterItsLastRecordsOnTheRoomsKey() {
        List<String> published = new ArrayList<>();
        List<EntityBareJid> announced = new ArrayList<>();
        RoomArchive archive = new RoomArchive(() -> true, (key, message) -> published.add(key + " "
                + (ArchiveRecord.isRecord(message) ? "record" : "remove " + ArchiveRecord.removalOf(message))))
                .whenDestroyed(announced::add);
        Room room = new Room(ROOM, RoomConfig.DEFAULT, Map.of(), Subject.NONE, false, Instant.EPOCH);
        archive.record(room, "id-1", ROOM + "/firstwitch", Instant.EPOCH, XmlElement.builder("message", "jabber:client")
                .attribute("type", "groupchat").child(XmlElement.builder("body", "jabber:client").text("Fair is foul")
                        .build()).build());

        archive.destroyed(ROOM);

        assertThat(published).containsExactly(ROOM + " record", ROOM + " remove " + ROOM);
        assertThat(announced).containsExactly(ROOM);
    }

    @Test
    void withoutAnArchiveNothingIsRequested() {
        List<String> published = new ArrayList<>();
        new RoomArchive(() -> false, (key, message) -> published.add(key)).destroyed(ROOM);
        assertThat(published).isEmpty();
    }
}
