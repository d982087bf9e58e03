package io.aviary.xep0045;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link RoomStore} does; each store's test extends this with a fresh, empty store. */
public abstract class RoomStoreContract {

    protected static final DomainBareJid SERVICE = JidCreate.domainBareFromOrThrowUnchecked("conference.example.org");
    protected static final EntityBareJid ROOM = JidCreate.entityBareFromOrThrowUnchecked("coven@conference.example.org");
    protected static final EntityBareJid OTHER_ROOM =
            JidCreate.entityBareFromOrThrowUnchecked("lounge@conference.example.org");
    protected static final EntityFullJid HAG = JidCreate.entityFullFromOrThrowUnchecked("hag66@example.org/pda");
    protected static final EntityFullJid CROSSING = JidCreate.entityFullFromOrThrowUnchecked("crone1@example.org/desktop");

    /** A fresh, empty store. */
    protected abstract RoomStore store();

    protected static Room room(EntityBareJid jid) {
        return new Room(jid, RoomConfig.DEFAULT, Map.of(), Subject.NONE, true,
                Instant.parse("2026-12-03T10:15:30Z"));
    }

    protected static Occupant occupant(String nick, EntityFullJid real, Role role) {
        XmlElement presence = XmlElement.builder("presence", "jabber:client")
                .child(XmlElement.builder("show", "jabber:client").text("away").build()).build();
        return new Occupant(nick, real, role, presence, "id-" + nick);
    }

    @Test
    void aRoomIsKeptWithItsConfigurationAffiliationsAndSubject() {
        RoomStore store = store();
        Room room = room(ROOM)
                .withConfig(RoomConfig.DEFAULT.withFields(Map.of("muc#roomconfig_persistentroom", List.of("1"),
                        "muc#roomconfig_roomname", List.of("The Coven"), "muc#roomconfig_maxusers", List.of("30"))))
                .withAffiliation(new AffiliationEntry(CROSSING.asBareJid(), Affiliation.OWNER, null, null))
                .withAffiliation(new AffiliationEntry(HAG.asBareJid(), Affiliation.OUTCAST, null, "Treason"))
                .withSubject(new Subject("Fire Burn and Cauldron Bubble!", "secondwitch"))
                .unlocked();
        store.saveRoom(room);

        Room kept = store.room(ROOM).orElseThrow();
        assertThat(kept).isEqualTo(room);
        assertThat(kept.affiliationOf(HAG)).isEqualTo(Affiliation.OUTCAST);
        assertThat(kept.affiliations().get(HAG.asBareJid()).reason()).isEqualTo("Treason");
        assertThat(kept.config().maxUsers()).isEqualTo(30);
        assertThat(store.room(OTHER_ROOM)).isEmpty();
    }

    @Test
    void savingAgainReplacesAndRemovingForgetsEverything() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        store.saveRoom(room(ROOM).withAffiliation(new AffiliationEntry(HAG.asBareJid(), Affiliation.MEMBER, "hag", null)));
        store.saveOccupant(ROOM, occupant("hag", HAG, Role.PARTICIPANT));
        store.appendHistory(ROOM, new HistoryEntry(Instant.now().truncatedTo(ChronoUnit.MILLIS), message("hi")), 5);

        assertThat(store.room(ROOM).orElseThrow().affiliations().get(HAG.asBareJid()).nick()).isEqualTo("hag");

        store.removeRoom(ROOM);
        assertThat(store.room(ROOM)).isEmpty();
        assertThat(store.occupants(ROOM)).isEmpty();
        assertThat(store.history(ROOM)).isEmpty();
        assertThat(store.roomsOf(HAG)).isEmpty();
    }

    @Test
    void theRoomsNamingAUserAreThoseWithItsAffiliationOrItsHat() {
        RoomStore store = store();
        BareJid hag = HAG.asBareJid();
        store.saveRoom(room(ROOM).withAffiliation(new AffiliationEntry(hag, Affiliation.MEMBER, "hag", null)));
        store.saveRoom(room(OTHER_ROOM).withConfig(RoomConfig.DEFAULT.withHats(
                List.of(new Hat(hag, "urn:example:hats:witch", "Witch")))));
        EntityBareJid unrelated = JidCreate.entityBareFromOrThrowUnchecked("heath@conference.example.org");
        store.saveRoom(room(unrelated)
                .withAffiliation(new AffiliationEntry(CROSSING.asBareJid(), Affiliation.OWNER, null, null))
                .withConfig(RoomConfig.DEFAULT.withHats(List.of(new Hat(CROSSING.asBareJid(), "urn:example:hats:witch",
                        "Witch")))));

        assertThat(store.roomsNaming(hag)).containsExactlyInAnyOrder(ROOM, OTHER_ROOM);
        assertThat(store.roomsNaming(JidCreate.bareFromOrThrowUnchecked("hag67@example.org"))).isEmpty();

        store.saveRoom(room(ROOM));
        store.removeRoom(OTHER_ROOM);
        assertThat(store.roomsNaming(hag)).isEmpty();
    }

    @Test
    void roomsAreListedByService() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        store.saveRoom(room(OTHER_ROOM));
        store.saveRoom(room(JidCreate.entityBareFromOrThrowUnchecked("elsewhere@chat.example.net")));

        assertThat(store.rooms(SERVICE)).extracting(Room::jid).containsExactlyInAnyOrder(ROOM, OTHER_ROOM);
    }

    @Test
    void occupantsKeepTheirOrderAndAreReplacedByRealJid() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        store.saveRoom(room(OTHER_ROOM));
        store.saveOccupant(ROOM, occupant("firstwitch", CROSSING, Role.MODERATOR));
        store.saveOccupant(ROOM, occupant("thirdwitch", HAG, Role.PARTICIPANT));
        store.saveOccupant(OTHER_ROOM, occupant("hag", HAG, Role.VISITOR));
        store.saveOccupant(ROOM, occupant("oldhag", HAG, Role.VISITOR));

        assertThat(store.occupants(ROOM)).containsExactly(occupant("firstwitch", CROSSING, Role.MODERATOR),
                occupant("oldhag", HAG, Role.VISITOR));
        assertThat(store.roomsOf(HAG)).containsExactlyInAnyOrder(ROOM, OTHER_ROOM);

        store.removeOccupant(ROOM, HAG);
        assertThat(store.occupants(ROOM)).extracting(Occupant::nick).containsExactly("firstwitch");
        assertThat(store.roomsOf(HAG)).containsExactly(OTHER_ROOM);
    }

    @Test
    void historyKeepsTheLastEntriesOldestFirst() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        for (int i = 0; i < 7; i++) {
            store.appendHistory(ROOM, new HistoryEntry(start.plusSeconds(i), message("m" + i)), 5);
        }

        List<HistoryEntry> history = store.history(ROOM);
        assertThat(history).extracting(entry -> entry.message().childText("body", "jabber:client").orElseThrow())
                .containsExactly("m2", "m3", "m4", "m5", "m6");
        assertThat(history.get(0).at()).isEqualTo(start.plusSeconds(2));
        assertThat(store.history(OTHER_ROOM)).isEmpty();
    }

    @Test
    void aModeratedMessageLeavesTheHistoryByTheRoomsStanzaId() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            store.appendHistory(ROOM, new HistoryEntry(start.plusSeconds(i),
                    RoomArchive.withStanzaId(message("m" + i), ROOM, "sid-" + i)), 5);
        }
        store.saveRoom(room(OTHER_ROOM));
        // The same id in another room names another message.
        store.appendHistory(OTHER_ROOM, new HistoryEntry(start, RoomArchive.withStanzaId(message("x"), OTHER_ROOM,
                "sid-1")), 5);

        assertThat(store.removeHistory(ROOM, "sid-1")).isTrue();
        assertThat(store.removeHistory(ROOM, "sid-1")).isFalse();
        assertThat(store.removeHistory(ROOM, "unknown")).isFalse();
        assertThat(store.history(ROOM)).extracting(entry -> entry.message().childText("body", "jabber:client")
                .orElseThrow()).containsExactly("m0", "m2");
        assertThat(store.history(OTHER_ROOM)).hasSize(1);
    }

    @Test
    void aRoomsVcardIsReplacedRemovedAndGoesWithTheRoom() {
        RoomStore store = store();
        store.saveRoom(room(ROOM));
        store.saveRoom(room(OTHER_ROOM));
        assertThat(store.vcard(ROOM)).isEmpty();
        XmlElement first = XmlElement.builder("vCard", "vcard-temp").textChild("FN", "The Heath").build();
        XmlElement second = XmlElement.builder("vCard", "vcard-temp").textChild("FN", "The Blasted Heath").build();
        store.saveVcard(ROOM, first);
        store.saveVcard(OTHER_ROOM, first);
        store.saveVcard(ROOM, second);
        assertThat(store.vcard(ROOM)).contains(second);

        store.saveVcard(ROOM, null);
        assertThat(store.vcard(ROOM)).isEmpty();
        assertThat(store.vcard(OTHER_ROOM)).contains(first);
        store.removeRoom(OTHER_ROOM);
        assertThat(store.vcard(OTHER_ROOM)).isEmpty();
    }

    protected static XmlElement message(String body) {
        return XmlElement.builder("message", "jabber:client").attribute("from", ROOM + "/firstwitch")
                .attribute("type", "groupchat")
                .child(XmlElement.builder("body", "jabber:client").text(body).build()).build();
    }
}
