package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;

/**
 * What every part of the room engine shares: the store (the only state, read afresh for every stanza), the way
 * out, occupant ids and settings; and the presence every role or affiliation change broadcasts (§7.2.3, §9).
 */
final class Rooms {

    /** What goes into an occupant's {@code <x xmlns='muc#user'/>} besides the item's affiliation and role. */
    record Notice(List<Integer> codes, String newNick, String actor, String reason, XmlElement destroy) {
        static final Notice NONE = new Notice(List.of(), null, null, null, null);

        static Notice codes(Integer... codes) {
            return new Notice(List.of(codes), null, null, null, null);
        }
    }

    final RoomStore store;
    final RoomOutput send;
    final OccupantIds ids;
    final MucProperties properties;
    final Clock clock;
    final DomainBareJid service;
    final DomainBareJid domain;
    final MucMetrics metrics;
    final RoomArchive archive;
    private final Set<BareJid> serviceOwners;

    Rooms(RoomStore store, RoomOutput send, OccupantIds ids, MucProperties properties, Clock clock,
          DomainBareJid service, DomainBareJid domain, MucMetrics metrics, RoomArchive archive,
          Set<BareJid> serviceOwners) {
        this.archive = archive;
        this.serviceOwners = Set.copyOf(serviceOwners);
        this.store = store;
        this.send = send;
        this.ids = ids;
        this.properties = properties;
        this.clock = clock;
        this.service = service;
        this.domain = domain;
        this.metrics = metrics;
    }

    /**
     * The affiliation {@code user} acts with in the room: owner for the service's owners (the server's administrators,
     * {@code aviary.muc.admins-are-owners}, as Prosody's {@code component_admins_as_room_owners}), else the recorded
     * one. The room's lists and its last-owner rule see only the recorded affiliations ({@link Room#affiliationOf}).
     */
    Affiliation affiliation(Room room, Jid user) {
        return serviceOwner(user) ? Affiliation.OWNER : room.affiliationOf(user);
    }

    /** Whether {@code user} is one of the service's owners, who may also create rooms whoever else may. */
    boolean serviceOwner(Jid user) {
        return serviceOwners.contains(user.asBareJid());
    }

    static Optional<Occupant> occupant(List<Occupant> occupants, Jid realJid) {
        return occupants.stream().filter(o -> o.realJid().equals(realJid)).findFirst();
    }

    static List<Occupant> withNick(List<Occupant> occupants, String nick) {
        return occupants.stream().filter(o -> o.nick().equals(nick)).toList();
    }

    /** One occupant per nickname, the latest session of each (§7.2.9: sessions sharing a nick show as one). */
    static List<Occupant> byNick(List<Occupant> occupants) {
        Map<String, Occupant> latest = new LinkedHashMap<>();
        occupants.forEach(o -> latest.put(o.nick(), o));
        return List.copyOf(latest.values());
    }

    static String address(EntityBareJid room, String nick) {
        return room + "/" + nick;
    }

    /** Whether {@code viewer} is shown occupants' real JIDs (§7.2.3-7.2.4, {@code muc#roomconfig_whois}). */
    static boolean seesRealJids(Room room, Role viewer) {
        return room.config().whois() == RoomConfig.Whois.ANYONE || viewer == Role.MODERATOR;
    }

    /**
     * The presence of {@code about} as {@code recipient} gets it: the payloads it sent the room (status, show,
     * caps...), its item, status codes (110 when it is the recipient's own), and its occupant id.
     */
    XmlElement presence(Room room, Occupant about, Occupant recipient, boolean unavailable, Notice notice) {
        boolean self = about.realJid().equals(recipient.realJid());
        XmlElement.Builder item = XmlElement.builder("item", MucXml.USER)
                .attribute("affiliation", affiliation(room, about.realJid()).xml())
                .attribute("role", unavailable && notice.newNick() == null ? Role.NONE.xml() : about.role().xml());
        if (self || seesRealJids(room, recipient.role())) {
            item.attribute("jid", about.realJid().toString());
        }
        item.attribute("nick", notice.newNick());
        if (notice.actor() != null) {
            item.child(XmlElement.builder("actor", MucXml.USER).attribute("nick", notice.actor()).build());
        }
        if (notice.reason() != null && !notice.reason().isEmpty()) {
            item.textChild("reason", notice.reason());
        }
        XmlElement.Builder x = XmlElement.builder("x", MucXml.USER).child(item.build());
        if (notice.destroy() != null) {
            x.child(notice.destroy());
        }
        for (int code : notice.codes()) {
            x.child(MucXml.status(code));
        }
        if (self) {
            x.child(MucXml.status(110));
        }
        XmlElement.Builder presence = MucXml.stanza("presence", address(room.jid(), about.nick()),
                recipient.realJid().toString(), unavailable ? "unavailable" : null);
        presence.children(payloads(about.presence(), unavailable));
        List<Hat> hats = room.config().hats().stream()
                .filter(hat -> hat.wearer().equals(about.realJid().asBareJid())).toList();
        if (!hats.isEmpty() && !unavailable) {
            XmlElement.Builder worn = XmlElement.builder("hats", RoomHats.HATS);
            hats.forEach(hat -> worn.child(XmlElement.builder("hat", RoomHats.HATS).attribute("uri", hat.uri())
                    .attribute("title", hat.title()).build()));
            presence.child(worn.build());
        }
        return presence.child(x.build()).child(MucXml.occupantId(about.occupantId())).build();
    }

    /** The presence of every other occupant that {@code viewer} is {@link #shows shown}, one per nickname. */
    void sendOthers(Room room, List<Occupant> occupants, Occupant viewer) {
        for (Occupant present : byNick(occupants)) {
            if (!present.nick().equals(viewer.nick()) && shows(room, present, viewer)) {
                send.accept(presence(room, present, viewer, false, Notice.NONE));
            }
        }
    }

    /**
     * Sends {@code viewer} the others' presence again when a change of its role or of the room's
     * {@code muc#roomconfig_whois} changed whether it sees real JIDs (§7.2.3-7.2.4 give them to moderators of a
     * semi-anonymous room). XEP-0045 leaves this open; without it a new moderator cannot see whom it moderates until
     * each occupant happens to send presence, and one who lost the role keeps JIDs it may no longer see.
     */
    void refreshView(Room before, Room after, Role roleBefore, Occupant viewer) {
        if (seesRealJids(before, roleBefore) != seesRealJids(after, viewer.role())) {
            sendOthers(after, store.occupants(after.jid()), viewer);
        }
    }

    /** Sends the presence of {@code about} to each of {@code recipients} who {@link #shows sees} it. */
    void broadcast(Room room, List<Occupant> recipients, Occupant about, boolean unavailable, Notice notice) {
        List<XmlElement> presences = new ArrayList<>();
        for (Occupant recipient : recipients) {
            if (shows(room, about, recipient)) {
                presences.add(presence(room, about, recipient, unavailable, notice));
            }
        }
        send.multicastAll(presences);
    }

    /**
     * Whether {@code recipient} gets {@code about}'s presence: always its own account's; the others' only for roles in
     * {@code muc#roomconfig_presencebroadcast}. Departures (role none) always go out, since a recipient may have seen
     * the occupant under a role that was broadcast.
     */
    static boolean shows(Room room, Occupant about, Occupant recipient) {
        return about.role() == Role.NONE || room.config().presenceBroadcast().contains(about.role())
                || about.realJid().asBareJid().equals(recipient.realJid().asBareJid());
    }

    /**
     * What an occupant's own presence carries that the room repeats: everything but the MUC elements, errors, hats and
     * an occupant id it might have forged (XEP-0421 §4: the service removes them); unavailable keeps only status.
     */
    private static List<XmlNode> payloads(XmlElement presence, boolean unavailable) {
        List<XmlNode> kept = new ArrayList<>();
        presence.elements().forEach(e -> {
            boolean muc = e.namespace().equals(MucXml.MUC) || e.namespace().equals(MucXml.USER)
                    || e.is("occupant-id", MucXml.OCCUPANT_ID) || e.is("error", MucXml.CLIENT)
                    || e.namespace().equals(RoomHats.HATS); // only the room puts hats on
            if (!muc && (!unavailable || e.is("status", MucXml.CLIENT))) {
                kept.add(e);
            }
        });
        return kept;
    }

    /**
     * An error answer to {@code stanza}. A presence's payload is not echoed (a join carries the password); a message's
     * is, since clients match the error to what they sent by it (Smack's subject change waits for the subject).
     */
    void refuse(Stanza stanza, StanzaErrorCondition condition) {
        if (!stanza.isPresence()) {
            send.accept(stanza.errorReply(condition).element());
            return;
        }
        send.accept(MucXml.stanza("presence", stanza.toAttribute(), stanza.fromAttribute(), "error")
                .attribute("id", stanza.id()).child(XmlElement.empty("x", MucXml.MUC))
                .child(StanzaError.of(condition).toElement()).build());
    }

    /** The occupant id of {@code user} in {@code room}. */
    String occupantId(Room room, Jid user) {
        return ids.of(room.jid(), room.config().occupantIdSalt(), user.asBareJid());
    }

    /**
     * Removes the room when nobody is left and it is temporary (§10.1.1, §7.14: "destroyed"), and its archive with
     * it, as an owner's destruction does: the next room of that name is someone else's and starts with nothing.
     */
    void removeIfDeserted(Room room) {
        if (!room.config().persistent() && store.occupants(room.jid()).isEmpty()) {
            store.removeRoom(room.jid());
            archive.destroyed(room.jid());
        }
    }

    static EntityFullJid fullJid(Jid jid) {
        return jid == null ? null : jid.asEntityFullJidIfPossible();
    }
}
