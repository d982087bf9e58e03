package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Presence to {@code room@service/nick}: creating a room (§10.1), entering one (§7.2), changing presence or nick
 * (§7.6, §7.7) and leaving (§7.14).
 */
final class RoomPresence {

    private final Rooms rooms;

    RoomPresence(Rooms rooms) {
        this.rooms = rooms;
    }

    void handle(Stanza presence, EntityBareJid roomJid, String nick, EntityFullJid from) {
        String type = presence.type();
        if ("unavailable".equals(type)) {
            leave(roomJid, from, presence.element());
            return;
        }
        if (type != null) {
            return; // probes and subscriptions mean nothing to a room
        }
        if (nick == null || nick.isBlank()) {
            rooms.refuse(presence, StanzaErrorCondition.JID_MALFORMED); // §7.2.1: a nickname is required
            return;
        }
        if (nick.length() > rooms.properties.maxNickLength()) {
            rooms.refuse(presence, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        Optional<Room> room = rooms.store.room(roomJid);
        if (room.isEmpty()) {
            create(presence, roomJid, nick, from);
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(roomJid);
        Optional<Occupant> self = Rooms.occupant(occupants, from);
        if (self.isEmpty()) {
            enter(presence, room.get(), occupants, nick, from);
        } else if (self.get().nick().equals(nick)) {
            Occupant changed = self.get().withPresence(kept(presence));
            rooms.store.saveOccupant(roomJid, changed);
            List<Occupant> others = occupants.stream().filter(o -> !o.realJid().equals(from)).toList();
            rooms.broadcast(room.get(), others, changed, false, Rooms.Notice.NONE);
            if (presence.element().child("x", MucXml.MUC).isPresent()) {
                // A join from a session the room thinks is in: the client lost its state (a reconnection, a
                // failed resumption; XEP-0410 §4), so it gets the whole room again, as on entering.
                welcome(presence, room.get(), others, changed);
            } else {
                rooms.send.accept(rooms.presence(room.get(), changed, changed, false, Rooms.Notice.NONE));
            }
        } else {
            changeNick(presence, room.get(), occupants, self.get(), nick);
        }
    }

    /** The presence as the store keeps it: without the join's {@code <x/>}, which may carry the room's password. */
    private static XmlElement kept(Stanza presence) {
        return presence.element().withoutChildren("x", MucXml.MUC);
    }

    /** §10.1.1: the first to enter a room that does not exist creates it, and owns it. */
    private void create(Stanza presence, EntityBareJid roomJid, String nick, EntityFullJid from) {
        if (!mayCreate(from)) {
            refuseEntry(presence, StanzaErrorCondition.NOT_ALLOWED);
            return;
        }
        if (roomJid.getLocalpart().length() > rooms.properties.maxRoomNameLength()) {
            refuseEntry(presence, StanzaErrorCondition.NOT_ACCEPTABLE);
            return;
        }
        MucProperties settings = rooms.properties;
        RoomConfig config = new RoomConfig("", "", false, true, false, false, "", RoomConfig.Whois.MODERATORS,
                settings.maxOccupants(), false, false, RoomConfig.PrivateMessages.ANYONE, settings.historyLength(),
                false, settings.archiveByDefault(), OccupantIds.newSalt(), List.of(), Role.OCCUPYING);
        // §10.1.1: a client that speaks the MUC protocol gets a locked room to configure or accept; an old
        // groupchat 1.0 client (no <x/>) gets an instant room at once.
        boolean locked = presence.element().child("x", MucXml.MUC).isPresent();
        Room room = new Room(roomJid, config,
                Map.of(from.asBareJid(), new AffiliationEntry(from.asBareJid(), Affiliation.OWNER, null, null)),
                Subject.NONE, locked, rooms.clock.instant());
        rooms.store.saveRoom(room);
        Occupant owner = new Occupant(nick, from, Role.MODERATOR, kept(presence), rooms.occupantId(room, from));
        rooms.store.saveOccupant(roomJid, owner);
        rooms.send.accept(rooms.presence(room, owner, owner, false, Rooms.Notice.codes(selfCodes(room, 201))));
        rooms.metrics.entry("created");
        sendSubject(room, owner);
    }

    private void refuseEntry(Stanza presence, StanzaErrorCondition condition) {
        rooms.metrics.entry(condition.elementName());
        rooms.refuse(presence, condition);
    }

    private boolean mayCreate(EntityFullJid from) {
        if (rooms.serviceOwner(from)) {
            return true;
        }
        return switch (rooms.properties.roomCreation()) {
            case ANYONE -> true;
            case LOCAL -> from.asDomainBareJid().equals(rooms.domain);
            case LISTED -> rooms.properties.creators().stream().anyMatch(creator -> sameAccount(creator, from));
        };
    }

    private static boolean sameAccount(String configured, EntityFullJid from) {
        try {
            return JidCreate.bareFrom(configured.trim()).equals(from.asBareJid());
        } catch (XmppStringprepException e) {
            return false; // a malformed entry in aviary.muc.creators matches nobody
        }
    }

    /** §7.2: the checks of §7.2.5-7.2.10 in the XEP's order, then the presence, history and subject. */
    private void enter(Stanza presence, Room room, List<Occupant> occupants, String nick, EntityFullJid from) {
        Affiliation affiliation = rooms.affiliation(room, from);
        StanzaErrorCondition refusal = refusal(presence, room, occupants, nick, from, affiliation);
        if (refusal != null) {
            refuseEntry(presence, refusal);
            return;
        }
        rooms.metrics.entry("entered");
        // Another session of the same account under the same nick shares its role (§7.2.9 multi-session).
        Role role = Rooms.withNick(occupants, nick).stream().map(Occupant::role).findFirst()
                .orElse(Privileges.defaultRole(affiliation, room.config().moderated()));
        Occupant newcomer = new Occupant(nick, from, role, kept(presence), rooms.occupantId(room, from));
        rooms.store.saveOccupant(room.jid(), newcomer);
        rooms.sendOthers(room, occupants, newcomer);
        rooms.broadcast(room, occupants, newcomer, false, Rooms.Notice.NONE);
        finishEntering(presence, room, newcomer);
    }

    /** The room's state for a session that is in it already but asked to enter again. */
    private void welcome(Stanza presence, Room room, List<Occupant> others, Occupant self) {
        rooms.sendOthers(room, others, self);
        finishEntering(presence, room, self);
    }

    /** §7.2.2-7.2.16 after the others' presence: one's own (110), then the history asked for, then the subject. */
    private void finishEntering(Stanza presence, Room room, Occupant self) {
        rooms.send.accept(rooms.presence(room, self, self, false, Rooms.Notice.codes(selfCodes(room, 0))));
        XmlElement history = presence.element().child("x", MucXml.MUC).flatMap(x -> x.child("history", MucXml.MUC))
                .orElse(null);
        sendHistory(room, self, HistoryRequest.of(history));
        sendSubject(room, self);
    }

    private StanzaErrorCondition refusal(Stanza presence, Room room, List<Occupant> occupants, String nick,
                                         EntityFullJid from, Affiliation affiliation) {
        RoomConfig config = room.config();
        if (room.locked() && affiliation != Affiliation.OWNER) {
            return StanzaErrorCondition.ITEM_NOT_FOUND; // §10.1.1: a locked room does not exist for others
        }
        if (affiliation == Affiliation.OUTCAST) {
            return StanzaErrorCondition.FORBIDDEN; // §7.2.7
        }
        if (config.membersOnly() && !Privileges.atLeast(affiliation, Affiliation.MEMBER)) {
            return StanzaErrorCondition.REGISTRATION_REQUIRED; // §7.2.6
        }
        if (config.passwordProtected() && affiliation != Affiliation.OWNER) {
            String given = presence.element().child("x", MucXml.MUC).flatMap(x -> x.childText("password", MucXml.MUC))
                    .orElse(null);
            if (!config.password().equals(given)) {
                return StanzaErrorCondition.NOT_AUTHORIZED; // §7.2.5
            }
        }
        if (nickTaken(room, occupants, nick, from)) {
            return StanzaErrorCondition.CONFLICT; // §7.2.8
        }
        boolean sharing = !Rooms.withNick(occupants, nick).isEmpty();
        int limit = config.maxUsers();
        if (limit > 0 && !sharing && Rooms.byNick(occupants).size() >= limit
                && !Privileges.atLeast(affiliation, Affiliation.ADMIN)) {
            return StanzaErrorCondition.SERVICE_UNAVAILABLE; // §7.2.10; admins and owners may always enter
        }
        return null;
    }

    /** Whether another account is in the room under {@code nick}, or has registered it (§7.10). */
    private static boolean nickTaken(Room room, List<Occupant> occupants, String nick, EntityFullJid from) {
        boolean inUse = Rooms.withNick(occupants, nick).stream()
                .anyMatch(o -> !o.realJid().asBareJid().equals(from.asBareJid()));
        boolean reserved = room.affiliations().values().stream()
                .anyMatch(e -> nick.equals(e.nick()) && !e.user().equals(from.asBareJid()));
        return inUse || reserved;
    }

    /** The status codes of one's own presence on entering: 100 non-anonymous, 170 logged, 201 created. */
    private static Integer[] selfCodes(Room room, int extra) {
        List<Integer> codes = new ArrayList<>();
        if (room.config().whois() == RoomConfig.Whois.ANYONE) {
            codes.add(100);
        }
        if (room.config().logging()) {
            codes.add(170);
        }
        if (extra != 0) {
            codes.add(extra);
        }
        return codes.toArray(Integer[]::new);
    }

    /** §7.2.15: the kept messages the newcomer asked for, each with a {@code <delay/>} from the room. */
    private void sendHistory(Room room, Occupant newcomer, HistoryRequest request) {
        List<HistoryEntry> history = rooms.store.history(room.jid());
        // The owner may have shortened the history since these were kept (§10.2 muc#maxhistoryfetch).
        int length = Math.min(room.config().historyLength(), rooms.properties.maxHistory());
        history = history.subList(Math.max(0, history.size() - length), history.size());
        for (HistoryEntry entry : request.select(history, rooms.clock.instant(), e -> replay(room, e, newcomer).toXml())) {
            rooms.send.accept(replay(room, entry, newcomer));
        }
    }

    private XmlElement replay(Room room, HistoryEntry entry, Occupant to) {
        return entry.message().withAttribute("to", to.realJid().toString())
                .withChild(XmlElement.builder("delay", MucXml.DELAY).attribute("from", room.jid().toString())
                        .attribute("stamp", DateTimeFormatter.ISO_INSTANT.format(entry.at())).build());
    }

    /** §7.2.16: the subject comes last, always, empty when there is none; it tells the client the join is done. */
    void sendSubject(Room room, Occupant to) {
        Subject subject = room.subject();
        String from = subject.by().isEmpty() ? room.jid().toString() : Rooms.address(room.jid(), subject.by());
        rooms.send.accept(MucXml.stanza("message", from, to.realJid().toString(), "groupchat")
                .child(XmlElement.builder("subject", MucXml.CLIENT).text(subject.text()).build()).build());
    }

    /** §7.6: unavailable from the old nick with 303 and the new nick, then available from the new one. */
    private void changeNick(Stanza presence, Room room, List<Occupant> occupants, Occupant self, String nick) {
        if (nickTaken(room, occupants, nick, self.realJid())) {
            rooms.refuse(presence, StanzaErrorCondition.CONFLICT);
            return;
        }
        Occupant renamed = self.withNick(nick).withPresence(kept(presence));
        rooms.store.saveOccupant(room.jid(), renamed);
        rooms.broadcast(room, occupants, self, true, new Rooms.Notice(List.of(303), nick, null, null, null));
        rooms.broadcast(room, rooms.store.occupants(room.jid()), renamed, false, Rooms.Notice.NONE);
    }

    /** An occupant whose session bounced what the room sent it: the others see it leave with status 333. */
    void removeGone(EntityBareJid roomJid, EntityFullJid realJid) {
        Optional<Room> room = rooms.store.room(roomJid);
        Optional<Occupant> gone = room.flatMap(r -> Rooms.occupant(rooms.store.occupants(roomJid), realJid));
        if (gone.isEmpty()) {
            return;
        }
        rooms.store.removeOccupant(roomJid, realJid);
        List<Occupant> remaining = rooms.store.occupants(roomJid);
        if (Rooms.withNick(remaining, gone.get().nick()).isEmpty()) {
            rooms.broadcast(room.get(), remaining, gone.get(), true, Rooms.Notice.codes(333));
        }
        rooms.removeIfDeserted(room.get());
    }

    /**
     * §7.14: the occupant leaves; the others see it go unless another session of the account keeps the nick, which
     * they then see instead. A non-occupant's unavailable presence is ignored.
     */
    void leave(EntityBareJid roomJid, EntityFullJid from, XmlElement unavailable) {
        Optional<Room> room = rooms.store.room(roomJid);
        if (room.isEmpty()) {
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(roomJid);
        Optional<Occupant> leaving = Rooms.occupant(occupants, from);
        if (leaving.isEmpty()) {
            return;
        }
        Occupant gone = leaving.get().withPresence(unavailable);
        rooms.store.removeOccupant(roomJid, from);
        List<Occupant> remaining = rooms.store.occupants(roomJid);
        rooms.send.accept(rooms.presence(room.get(), gone, gone, true, Rooms.Notice.NONE));
        List<Occupant> sameNick = Rooms.withNick(remaining, gone.nick());
        if (sameNick.isEmpty()) {
            rooms.broadcast(room.get(), remaining, gone, true, Rooms.Notice.NONE);
        } else {
            Occupant stays = sameNick.get(sameNick.size() - 1);
            rooms.broadcast(room.get(), remaining, stays, false, Rooms.Notice.NONE);
        }
        rooms.removeIfDeserted(room.get());
    }
}
