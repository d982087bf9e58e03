package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityFullJid;

/**
 * XEP-0425 Moderated Message Retraction (urn:xmpp:message-moderate:1): a moderator asks the room to retract an
 * occupant's message by the room's stanza id. The room takes it out of the discussion history (so newcomers never get
 * it, §"Business Rules": "SHOULD prevent further distribution"), tells every occupant with a
 * {@code <retract><moderated/></retract>} message from the room itself, and hands that message to the room's archive,
 * where it replaces the original with a tombstone.
 */
final class RoomModeration {

    static final String MODERATE = "urn:xmpp:message-moderate:1";
    static final String RETRACT = "urn:xmpp:message-retract:1";

    private final Rooms rooms;

    RoomModeration(Rooms rooms) {
        this.rooms = rooms;
    }

    void moderate(Stanza iq, Room room, EntityFullJid from, XmlElement moderate) {
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> moderator = Rooms.occupant(occupants, from);
        String id = moderate.attributeOrNull("id");
        if (!"set".equals(iq.type()) || id == null || id.isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        if (moderate.child("retract", RETRACT).isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED).element());
            return;
        }
        if (moderator.isEmpty() || moderator.get().role() != Role.MODERATOR) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "Only moderators may retract occupants' messages")).element());
            return;
        }
        boolean inHistory = rooms.store.removeHistory(room.jid(), id);
        if (!inHistory && !rooms.archive.keeps(room)) {
            // Neither the history nor an archive has it: nothing the room could retract.
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
            return;
        }
        XmlElement.Builder retract = XmlElement.builder("retract", RETRACT).attribute("id", id)
                .child(XmlElement.builder("moderated", MODERATE)
                        .attribute("by", Rooms.address(room.jid(), moderator.get().nick()))
                        .child(MucXml.occupantId(moderator.get().occupantId())).build());
        moderate.child("reason", MODERATE).ifPresent(reason ->
                retract.child(XmlElement.builder("reason", RETRACT).text(reason.text()).build()));
        String announcementId = RoomArchive.newId();
        XmlElement announcement = RoomArchive.withStanzaId(
                MucXml.stanza("message", room.jid().toString(), null, "groupchat")
                        .attribute("id", announcementId).child(retract.build()).build(),
                room.jid(), announcementId);
        rooms.send.multicast(announcement, occupants.stream().map(occupant -> occupant.realJid().toString()).toList());
        rooms.archive.record(room, announcementId, room.jid().toString(), rooms.clock.instant(), announcement);
        rooms.send.accept(iq.iqResult(null).element());
    }
}
