package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Messages to a room: groupchat (§7.4) and subject changes (§8.1) to everyone, private messages to one occupant
 * (§7.5), mediated invitations and their declines (§7.8.2, §7.8.3), and voice requests (§7.13).
 */
final class RoomMessages {

    private final Rooms rooms;

    RoomMessages(Rooms rooms) {
        this.rooms = rooms;
    }

    /** A message to the room's bare JID. */
    /** @param publication the bus's id of the record that brought {@code message} (null: none), see {@link RoomArchive#idFor} */
    void toRoom(Stanza message, Room room, EntityFullJid from, String publication) {
        Optional<XmlElement> user = message.element().child("x", MucXml.USER);
        if (!"groupchat".equals(message.type())) {
            if (user.isPresent() && user.get().child("invite", MucXml.USER).isPresent()) {
                invite(message, room, from, user.get());
            } else if (user.isPresent() && user.get().child("decline", MucXml.USER).isPresent()) {
                decline(room, from, user.get().child("decline", MucXml.USER).get());
            } else if (voiceRequestForm(message.element()).isPresent()) {
                voiceRequest(message, room, from, voiceRequestForm(message.element()).get());
            } else {
                rooms.refuse(message, StanzaErrorCondition.NOT_ACCEPTABLE);
            }
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> sender = Rooms.occupant(occupants, from);
        if (sender.isEmpty()) {
            rooms.refuse(message, StanzaErrorCondition.NOT_ACCEPTABLE); // §7.4: only occupants speak
            return;
        }
        Occupant speaker = sender.get();
        if (speaker.role() == Role.VISITOR || speaker.role() == Role.NONE) {
            rooms.refuse(message, StanzaErrorCondition.FORBIDDEN); // §7.4: visitors have no voice
            return;
        }
        Optional<XmlElement> subject = message.element().child("subject", MucXml.CLIENT);
        boolean hasBody = message.element().child("body", MucXml.CLIENT).isPresent();
        if (subject.isPresent() && !hasBody) {
            changeSubject(message, room, occupants, speaker, subject.get().text());
            return;
        }
        String id = RoomArchive.idFor(room.jid(), publication);
        XmlElement broadcast = RoomArchive.withStanzaId(fromOccupant(message.element(), room, speaker, "groupchat"),
                room.jid(), id);
        rooms.send.multicast(broadcast, occupants.stream().map(recipient -> recipient.realJid().toString()).toList());
        rooms.metrics.message(occupants.size());
        Instant now = rooms.clock.instant();
        int keep = Math.min(room.config().historyLength(), rooms.properties.maxHistory());
        if (keep > 0 && hasBody) {
            rooms.store.appendHistory(room.jid(), new HistoryEntry(now, broadcast), keep);
        }
        if (RoomArchive.archivable(broadcast)) {
            rooms.archive.record(room, id, Rooms.address(room.jid(), speaker.nick()), now, broadcast);
        }
    }

    /** §8.1: moderators may always change the subject; participants only where {@code changesubject} allows. */
    private void changeSubject(Stanza message, Room room, List<Occupant> occupants, Occupant speaker, String text) {
        if (speaker.role() != Role.MODERATOR && !room.config().changeSubject()) {
            rooms.refuse(message, StanzaErrorCondition.FORBIDDEN);
            return;
        }
        rooms.store.saveRoom(room.withSubject(new Subject(text, speaker.nick())));
        XmlElement broadcast = fromOccupant(message.element(), room, speaker, "groupchat");
        rooms.send.multicast(broadcast, occupants.stream().map(recipient -> recipient.realJid().toString()).toList());
    }

    private static Optional<XmlElement> voiceRequestForm(XmlElement message) {
        return message.child("x", MucXml.DATA).filter(x -> "submit".equals(x.attributeOrNull("type")))
                .filter(x -> MucXml.values(x).getOrDefault("FORM_TYPE", List.of()).contains(MucXml.REQUEST));
    }

    /**
     * §7.13: a visitor's request for voice goes to the moderators as a form; a moderator's submitted form with
     * {@code muc#request_allow} true grants it.
     */
    private void voiceRequest(Stanza message, Room room, EntityFullJid from, XmlElement form) {
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> sender = Rooms.occupant(occupants, from);
        if (sender.isEmpty()) {
            rooms.refuse(message, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        Map<String, List<String>> values = MucXml.values(form);
        if (sender.get().role() == Role.MODERATOR && values.containsKey("muc#request_allow")) {
            String nick = first(values, "muc#roomnick");
            boolean allowed = List.of("1", "true").contains(first(values, "muc#request_allow"));
            List<Occupant> targets = nick == null ? List.of() : Rooms.withNick(occupants, nick);
            if (allowed && !targets.isEmpty() && targets.get(0).role() == Role.VISITOR) {
                for (Occupant target : targets) {
                    Occupant voiced = target.withRole(Role.PARTICIPANT);
                    rooms.store.saveOccupant(room.jid(), voiced);
                    rooms.broadcast(room, rooms.store.occupants(room.jid()), voiced, false, Rooms.Notice.NONE);
                }
            }
            return;
        }
        if (sender.get().role() != Role.VISITOR) {
            return; // §7.13: only a visitor has voice to ask for
        }
        XmlElement request = XmlElement.builder("x", MucXml.DATA).attribute("type", "form")
                .textChild("title", "Voice request")
                .textChild("instructions", "To approve this request for voice, select the \"Grant voice to this "
                        + "person?\" checkbox and click OK. To skip this request, click the cancel button.")
                .child(MucXml.hiddenFormType(MucXml.REQUEST))
                .child(MucXml.field("muc#role", "list-single", "Requested role", List.of(Role.PARTICIPANT.xml()),
                        List.of(Role.PARTICIPANT.xml())))
                .child(MucXml.field("muc#jid", "jid-single", "User ID", List.of(from.toString()), List.of()))
                .child(MucXml.field("muc#roomnick", "text-single", "Room Nickname", List.of(sender.get().nick()),
                        List.of()))
                .child(MucXml.field("muc#request_allow", "boolean", "Grant voice to this person?", List.of("false"),
                        List.of()))
                .build();
        for (Occupant moderator : occupants) {
            if (moderator.role() == Role.MODERATOR) {
                rooms.send.accept(MucXml.stanza("message", room.jid().toString(), moderator.realJid().toString(), null)
                        .child(request).build());
            }
        }
    }

    private static String first(Map<String, List<String>> values, String var) {
        List<String> found = values.get(var);
        return found == null || found.isEmpty() ? null : found.get(0);
    }

    /** A message to {@code room/nick}: §7.5, to every session of that occupant, as from the sender's nick. */
    void toOccupant(Stanza message, Room room, String nick, EntityFullJid from) {
        if ("groupchat".equals(message.type())) {
            rooms.refuse(message, StanzaErrorCondition.BAD_REQUEST); // §7.5: groupchat goes to the room
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> sender = Rooms.occupant(occupants, from);
        if (sender.isEmpty()) {
            rooms.refuse(message, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        if (!mayMessagePrivately(room.config().allowPrivateMessages(), sender.get().role())) {
            rooms.refuse(message, StanzaErrorCondition.FORBIDDEN);
            return;
        }
        List<Occupant> targets = Rooms.withNick(occupants, nick);
        if (targets.isEmpty()) {
            rooms.refuse(message, StanzaErrorCondition.ITEM_NOT_FOUND);
            return;
        }
        XmlElement forwarded = fromOccupant(message.element(), room, sender.get(), message.type())
                .withoutChildren("x", MucXml.USER).withChild(XmlElement.empty("x", MucXml.USER));
        for (Occupant target : targets) {
            rooms.send.accept(forwarded.withAttribute("to", target.realJid().toString()));
        }
    }

    static boolean mayMessagePrivately(RoomConfig.PrivateMessages allowed, Role sender) {
        return switch (allowed) {
            case ANYONE -> true;
            case PARTICIPANTS -> sender == Role.PARTICIPANT || sender == Role.MODERATOR;
            case MODERATORS -> sender == Role.MODERATOR;
            case NONE -> false;
        };
    }

    /**
     * The message as the room repeats it: from {@code room/nick}, the sender's payloads without any occupant id it
     * put there (XEP-0421 §4) or stanza id in the room's name (XEP-0359 §5), then the room's occupant id. The id is kept, so the sender recognises its own
     * message (§7.4 "the service SHOULD reflect the id").
     */
    private static XmlElement fromOccupant(XmlElement message, Room room, Occupant sender, String type) {
        List<XmlNode> payloads = new ArrayList<>();
        message.elements().filter(e -> !e.is("occupant-id", MucXml.OCCUPANT_ID) && !e.is("error", MucXml.CLIENT)
                && !e.is("delay", MucXml.DELAY) && !RoomArchive.forgedId(e, room.jid())).forEach(payloads::add);
        payloads.add(MucXml.occupantId(sender.occupantId()));
        return MucXml.stanza("message", Rooms.address(room.jid(), sender.nick()), null, type)
                .attribute("id", message.attributeOrNull("id")).children(payloads).build();
    }

    /**
     * §7.8.2: the room sends the invitation on, with the password of a protected room. In a members-only room only
     * admins and owners invite unless {@code allowinvites}; when an admin or owner invites, the invitee becomes a
     * member so that the invitation can be used.
     */
    private void invite(Stanza message, Room room, EntityFullJid from, XmlElement user) {
        Optional<Occupant> inviter = Rooms.occupant(rooms.store.occupants(room.jid()), from);
        if (inviter.isEmpty()) {
            rooms.refuse(message, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        Affiliation affiliation = rooms.affiliation(room, from);
        boolean privileged = Privileges.atLeast(affiliation, Affiliation.ADMIN);
        if (room.config().membersOnly() && !room.config().allowInvites() && !privileged) {
            rooms.refuse(message, StanzaErrorCondition.FORBIDDEN);
            return;
        }
        List<XmlElement> invites = user.elements().filter(e -> e.is("invite", MucXml.USER)).toList();
        List<EntityBareJid> invitees = new ArrayList<>();
        for (XmlElement invite : invites) {
            Jid to = jid(invite.attributeOrNull("to"));
            if (to == null || to.asEntityBareJidIfPossible() == null) {
                rooms.refuse(message, StanzaErrorCondition.JID_MALFORMED);
                return;
            }
            invitees.add(to.asEntityBareJidIfPossible());
        }
        Room updated = room;
        for (int i = 0; i < invites.size(); i++) {
            EntityBareJid invitee = invitees.get(i);
            if (room.config().membersOnly() && privileged && updated.affiliationOf(invitee) == Affiliation.NONE) {
                updated = updated.withAffiliation(new AffiliationEntry(invitee, Affiliation.MEMBER, null, null));
            }
            String reason = invites.get(i).childText("reason", MucXml.USER).orElse(null);
            XmlElement.Builder x = XmlElement.builder("x", MucXml.USER).child(XmlElement.builder("invite", MucXml.USER)
                    .attribute("from", from.asBareJid().toString())
                    .child(reasonElement(reason)).build());
            if (room.config().passwordProtected()) {
                x.textChild("password", room.config().password());
            }
            rooms.send.accept(MucXml.stanza("message", room.jid().toString(), invitee.toString(), null)
                    .child(x.build())
                    .child(XmlElement.builder("body", MucXml.CLIENT).text(from.asBareJid() + " invites you to the room "
                            + room.jid() + (reason == null || reason.isEmpty() ? "" : ": " + reason)).build())
                    .build());
        }
        if (updated != room) {
            rooms.store.saveRoom(updated);
        }
    }

    /** §7.8.3: the decline goes to the inviter, from the room, naming who declined. */
    private void decline(Room room, EntityFullJid from, XmlElement decline) {
        Jid inviter = jid(decline.attributeOrNull("to"));
        if (inviter == null) {
            return; // nowhere to send it
        }
        String reason = decline.childText("reason", MucXml.USER).orElse(null);
        rooms.send.accept(MucXml.stanza("message", room.jid().toString(), inviter.toString(), null)
                .child(XmlElement.builder("x", MucXml.USER).child(XmlElement.builder("decline", MucXml.USER)
                        .attribute("from", from.asBareJid().toString()).child(reasonElement(reason)).build()).build())
                .build());
    }

    private static XmlElement reasonElement(String reason) {
        return XmlElement.builder("reason", MucXml.USER).text(reason == null ? "" : reason).build();
    }

    private static Jid jid(String value) {
        try {
            return value == null ? null : JidCreate.from(value);
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
