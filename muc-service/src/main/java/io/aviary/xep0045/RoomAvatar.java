package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jxmpp.jid.EntityFullJid;

/**
 * Room avatars (XEP-0486 MUC Avatars): the room's vCard-temp (XEP-0054), set by its owners and read by anyone who may
 * see the room, kept apart from the room's configuration (which every stanza reads) in the room store. Its
 * XEP-0153 hashes go into the room's {@code muc#roominfo} form as {@code muc#roominfo_avatarhash}, and occupants hear
 * of a change with status 104, so clients can show the avatar before and after entering.
 */
final class RoomAvatar {

    static final String VCARD = "vcard-temp";
    static final String HASH_FIELD = "muc#roominfo_avatarhash";

    private final Rooms rooms;

    RoomAvatar(Rooms rooms) {
        this.rooms = rooms;
    }

    void vcard(Stanza iq, Room room, EntityFullJid from, XmlElement vcard) {
        if ("get".equals(iq.type())) {
            rooms.send.accept(iq.iqResult(rooms.store.vcard(room.jid())
                    .orElse(XmlElement.empty("vCard", VCARD))).element());
            return;
        }
        if (rooms.affiliation(room, from) != Affiliation.OWNER) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "Only owners may set the room's avatar")).element());
            return;
        }
        List<XmlElement> photos = vcard.elements().filter(e -> e.is("PHOTO", VCARD)).toList();
        if (photos.stream().anyMatch(photo -> hash(photo) == null)) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST,
                    "A PHOTO needs a TYPE and a base64 BINVAL")).element());
            return;
        }
        // §"Owner of the Room Publishes Avatar": "Setting an empty vCard unpublishes the avatar."
        rooms.store.saveVcard(room.jid(), vcard.elements().findAny().isPresent() ? vcard : null);
        rooms.send.accept(iq.iqResult(null).element());
        XmlElement changed = XmlElement.builder("x", MucXml.USER).child(MucXml.status(104)).build();
        for (Occupant occupant : rooms.store.occupants(room.jid())) {
            rooms.send.accept(MucXml.stanza("message", room.jid().toString(), occupant.realJid().toString(),
                    "groupchat").child(changed).build());
        }
    }

    /** The XEP-0153 hashes of the room's photos, for its {@code muc#roominfo} form; empty without an avatar. */
    List<String> hashes(Room room) {
        return rooms.store.vcard(room.jid()).map(vcard -> vcard.elements().filter(e -> e.is("PHOTO", VCARD))
                .map(RoomAvatar::hash).filter(hash -> hash != null).toList()).orElse(List.of());
    }

    /** XEP-0153 §4.3: the hex SHA-1 of the decoded image; null when the photo has no TYPE or no valid BINVAL. */
    private static String hash(XmlElement photo) {
        String binval = photo.childText("BINVAL", VCARD).orElse(null);
        if (binval == null || photo.childText("TYPE", VCARD).isEmpty()) {
            return null;
        }
        try {
            byte[] image = Base64.getMimeDecoder().decode(binval.strip());
            return image.length == 0 ? null : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(image));
        } catch (IllegalArgumentException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
