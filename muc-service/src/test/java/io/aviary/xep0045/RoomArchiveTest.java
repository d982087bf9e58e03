package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

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
}
