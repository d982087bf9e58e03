package io.aviary.xep0045;

import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * §7.10 registering with a room ({@code jabber:iq:register} to the room: membership and a reserved nick) and §7.12
 * discovering one's reserved nick (disco#info at node {@code x-roomuser-item}). An open room registers anyone not
 * banned; a members-only room's membership is its admins' to give (§9.3), so it refuses with {@code not-allowed}.
 */
final class RoomRegistration {

    static final String REGISTER = "jabber:iq:register";
    static final String NICK_NODE = "x-roomuser-item";
    private static final String FORM_TYPE = "http://jabber.org/protocol/muc#register";
    private static final String NICK_FIELD = "muc#register_roomnick";

    private final Rooms rooms;

    RoomRegistration(Rooms rooms) {
        this.rooms = rooms;
    }

    void register(Stanza iq, Room room, EntityFullJid from, XmlElement query) {
        BareJid user = from.asBareJid();
        AffiliationEntry entry = room.affiliations().get(user);
        if ("get".equals(iq.type())) {
            XmlElement.Builder answer = XmlElement.builder("query", REGISTER);
            if (entry != null && entry.nick() != null && entry.affiliation() != Affiliation.OUTCAST) {
                answer.child(XmlElement.empty("registered", REGISTER)).textChild("username", entry.nick());
            }
            answer.textChild("instructions", "Choose the nickname to reserve in " + room.jid())
                    .child(XmlElement.builder("x", MucXml.DATA).attribute("type", "form")
                            .textChild("title", "Registration with " + room.jid())
                            .child(MucXml.hiddenFormType(FORM_TYPE))
                            .child(XmlElement.builder("field", MucXml.DATA).attribute("var", NICK_FIELD)
                                    .attribute("type", "text-single").attribute("label", "Nickname")
                                    .child(XmlElement.empty("required", MucXml.DATA)).build())
                            .build());
            rooms.send.accept(iq.iqResult(answer.build()).element());
            return;
        }
        Affiliation affiliation = room.affiliationOf(user);
        if (affiliation == Affiliation.OUTCAST) {
            refuse(iq, StanzaErrorCondition.FORBIDDEN);
            return;
        }
        if (query.child("remove", REGISTER).isPresent()) {
            if (affiliation == Affiliation.MEMBER) {
                rooms.store.saveRoom(room.withAffiliation(new AffiliationEntry(user, Affiliation.NONE, null, null)));
            } else if (entry != null) {
                rooms.store.saveRoom(room.withAffiliation(new AffiliationEntry(user, affiliation, null, entry.reason())));
            }
            rooms.send.accept(iq.iqResult(null).element());
            return;
        }
        List<String> nick = query.child("x", MucXml.DATA).map(MucXml::values).orElse(Map.of())
                .getOrDefault(NICK_FIELD, List.of());
        if (nick.isEmpty() || nick.get(0).isBlank() || nick.get(0).length() > rooms.properties.maxNickLength()) {
            refuse(iq, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        String wanted = nick.get(0).trim();
        boolean taken = room.affiliations().values().stream()
                .anyMatch(e -> wanted.equals(e.nick()) && !e.user().equals(user))
                || rooms.store.occupants(room.jid()).stream()
                .anyMatch(o -> o.nick().equals(wanted) && !o.realJid().asBareJid().equals(user));
        if (taken) {
            refuse(iq, StanzaErrorCondition.CONFLICT);
            return;
        }
        if (affiliation == Affiliation.NONE && room.config().membersOnly()) {
            refuse(iq, StanzaErrorCondition.NOT_ALLOWED);
            return;
        }
        Affiliation registered = affiliation == Affiliation.NONE ? Affiliation.MEMBER : affiliation;
        rooms.store.saveRoom(room.withAffiliation(new AffiliationEntry(user, registered, wanted,
                entry == null ? null : entry.reason())));
        rooms.send.accept(iq.iqResult(null).element());
    }

    /** §7.12: the reserved nick as the name of an identity, or no identity when there is none. */
    XmlElement reservedNick(Room room, EntityFullJid from) {
        AffiliationEntry entry = room.affiliations().get(from.asBareJid());
        XmlElement.Builder info = XmlElement.builder("query", DiscoInfo.INFO)
                .attribute("node", NICK_NODE);
        if (entry != null && entry.nick() != null) {
            info.child(XmlElement.builder("identity", DiscoInfo.INFO)
                    .attribute("category", "conference").attribute("type", "text").attribute("name", entry.nick())
                    .build());
        }
        return info.build();
    }

    private void refuse(Stanza iq, StanzaErrorCondition condition) {
        rooms.send.accept(iq.errorReply(condition).element());
    }
}
