package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0421: stable per room and account, different between rooms and accounts, and not the JID. */
class OccupantIdsTest {

    private static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("coven@conference.example.org");
    private static final EntityBareJid OTHER = JidCreate.entityBareFromOrThrowUnchecked("lounge@conference.example.org");
    private static final BareJid HAG = JidCreate.entityBareFromOrThrowUnchecked("hag66@example.org");
    private static final BareJid CRONE = JidCreate.entityBareFromOrThrowUnchecked("crone1@example.org");

    @Test
    void theSameAccountHasTheSameIdInARoomOnEveryInstance() {
        String salt = OccupantIds.newSalt();
        assertThat(new OccupantIds("").of(ROOM, salt, HAG)).isEqualTo(new OccupantIds("").of(ROOM, salt, HAG));
    }

    @Test
    void idsDifferBetweenAccountsRoomsSaltsAndSecrets() {
        String salt = OccupantIds.newSalt();
        OccupantIds ids = new OccupantIds("");
        String hag = ids.of(ROOM, salt, HAG);
        assertThat(hag).isNotEqualTo(ids.of(ROOM, salt, CRONE))
                .isNotEqualTo(ids.of(OTHER, salt, HAG))
                .isNotEqualTo(ids.of(ROOM, OccupantIds.newSalt(), HAG))
                .isNotEqualTo(new OccupantIds("server secret").of(ROOM, salt, HAG))
                .doesNotContain("hag66");
        assertThat(hag).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void saltsAreRandom() {
        assertThat(OccupantIds.newSalt()).isNotEqualTo(OccupantIds.newSalt());
    }
}
