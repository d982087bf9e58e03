package io.aviary.xep0045;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.service.OperatorRequests;
import io.aviary.service.ServiceHandler;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group chat service at {@code conference.<domain>} (XEP-0045): every stanza to the service, a room or an
 * occupant arrives here, one at a time per room. Nothing is kept between stanzas but what the {@link RoomStore}
 * holds, so any instance may serve a room.
 */
public final class MucService implements ServiceHandler {

    private static final Logger log = LoggerFactory.getLogger(MucService.class);
    /** Marks the ids of IQs relayed between occupants (§7.5), which carry the asker's JID and id. */
    private static final String RELAYED = "muc-relay~";

    private final HostedService service;
    private final Rooms rooms;
    private final RoomPresence presence;
    private final RoomMessages messages;
    private final RoomAdministration administration;
    private final RoomRegistration registration;
    private final RoomModeration moderation;
    private final RoomAvatar avatar;
    private final RoomHats hats;

    /** A service without a room archive. */
    public MucService(HostedService service, DomainBareJid domain, RoomStore store, MucProperties properties,
                      OccupantIds ids, MucMetrics metrics, Clock clock, RoomOutput send) {
        this(service, domain, store, properties, ids, metrics, clock, send, RoomArchive.NONE, Set.of());
    }

    /** @param serviceOwners who is owner of every room ({@link Rooms#affiliation}), none recorded in the rooms */
    public MucService(HostedService service, DomainBareJid domain, RoomStore store, MucProperties properties,
                      OccupantIds ids, MucMetrics metrics, Clock clock, RoomOutput send,
                      RoomArchive archive, Set<BareJid> serviceOwners) {
        this.service = service;
        this.rooms = new Rooms(store, send, ids, properties, clock, service.address(), domain, metrics, archive,
                serviceOwners);
        this.moderation = new RoomModeration(rooms);
        this.avatar = new RoomAvatar(rooms);
        this.hats = new RoomHats(rooms);
        this.presence = new RoomPresence(rooms);
        this.messages = new RoomMessages(rooms);
        this.administration = new RoomAdministration(rooms);
        this.registration = new RoomRegistration(rooms);
    }

    @Override
    public void handle(Stanza stanza, BusMessage delivery) {
        try {
            route(stanza, delivery.header(BusMessage.PUBLICATION));
        } catch (XmppStringprepException e) {
            if (!stanza.isError()) {
                rooms.refuse(stanza, StanzaErrorCondition.JID_MALFORMED);
            }
        } catch (RuntimeException e) {
            log.warn("group chat: cannot handle a {} to {}: {}", stanza.element().name(), stanza.toAttribute(), e.toString());
            if (!stanza.isError() && !(stanza.isIq() && "result".equals(stanza.type()))) {
                rooms.refuse(stanza, StanzaErrorCondition.INTERNAL_SERVER_ERROR);
            }
        }
    }

    /** @param publication the bus's id of the record that brought {@code stanza}, or null */
    private void route(Stanza stanza, String publication) throws XmppStringprepException {
        Jid to = stanza.to();
        if (to != null && OperatorRequests.isFromServer(stanza, rooms.domain)) {
            operatorIq(stanza, to.asEntityBareJidIfPossible());
            return;
        }
        EntityFullJid from = Rooms.fullJid(stanza.from());
        if (to == null || from == null) {
            return; // the router always sets both; anything else is not from a user's session
        }
        EntityBareJid roomJid = to.asEntityBareJidIfPossible();
        String nick = to.hasResource() ? to.getResourceOrThrow().toString() : null;
        if (roomJid == null) {
            if (stanza.isIq()) {
                serviceIq(stanza, from);
            } else if (stanza.isMessage() && !stanza.isError()) {
                rooms.refuse(stanza, StanzaErrorCondition.SERVICE_UNAVAILABLE);
            }
            return;
        }
        if (stanza.isIq() && nick != null && ("result".equals(stanza.type()) || stanza.isError())) {
            relayResponse(stanza, roomJid, nick, from);
            return;
        }
        if (stanza.isError()) {
            // A bounce of what the room sent: never answered (that could loop), but a session that cannot be reached
            // is taken out of the room, so it does not stay a ghost; the others see status 333 (removed because
            // of a technical problem, in the XEP's status code registry), as Prosody does for the same errors.
            if (!stanza.isIq() && sessionGone(stanza)) {
                presence.removeGone(roomJid, from);
            }
            return;
        }
        if (stanza.isPresence()) {
            presence.handle(stanza, roomJid, nick, from);
            return;
        }
        Optional<Room> room = rooms.store.room(roomJid);
        boolean visible = room.isPresent() && (!room.get().locked()
                || rooms.affiliation(room.get(), from) == Affiliation.OWNER);
        if (stanza.isIq() && "result".equals(stanza.type())) {
            return;
        }
        if (!visible) {
            rooms.refuse(stanza, StanzaErrorCondition.ITEM_NOT_FOUND);
            return;
        }
        if (stanza.isMessage()) {
            if (nick == null) {
                messages.toRoom(stanza, room.get(), from, publication);
            } else {
                messages.toOccupant(stanza, room.get(), nick, from);
            }
        } else if (nick == null) {
            roomIq(stanza, room.get(), from);
        } else {
            occupantIq(stanza, room.get(), nick, from);
        }
    }

    /** Errors that say the occupant's session cannot be reached, rather than that it refused one stanza. */
    private static final Set<String> GONE = Set.of("gone", "item-not-found", "recipient-unavailable", "redirect",
            "remote-server-not-found", "remote-server-timeout", "service-unavailable", "jid-malformed");

    private static boolean sessionGone(Stanza error) {
        return error.element().child("error", MucXml.CLIENT)
                .flatMap(e -> e.elements().filter(c -> c.namespace().equals(StanzaErrorCondition.NAMESPACE)).findFirst())
                .map(condition -> GONE.contains(condition.name())).orElse(true);
    }

    // ---- the service ----

    private void serviceIq(Stanza iq, EntityFullJid from) {
        if (!"get".equals(iq.type()) && !"set".equals(iq.type())) {
            return;
        }
        XmlElement payload = iq.payload().orElse(null);
        boolean get = "get".equals(iq.type());
        if (payload == null || payload.attributeOrNull("node") != null) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
        } else if (get && payload.is("query", DiscoInfo.INFO)) {
            rooms.send.accept(iq.iqResult(service.discoInfo().toQuery(null)).element());
        } else if (get && payload.is("query", DiscoInfo.ITEMS)) {
            rooms.send.accept(iq.iqResult(publicRooms()).element());
        } else if (get && payload.is("ping", MucXml.PING)) {
            rooms.send.accept(iq.iqResult(null).element());
        } else {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
        }
    }

    /** §6.3: the public rooms that are open for entering (not locked), with their names. */
    private XmlElement publicRooms() {
        XmlElement.Builder items = XmlElement.builder("query", DiscoInfo.ITEMS);
        rooms.store.rooms(service.address()).stream()
                .filter(room -> room.config().publicRoom() && !room.locked())
                .sorted((a, b) -> a.jid().toString().compareTo(b.jid().toString()))
                .forEach(room -> items.child(XmlElement.builder("item", DiscoInfo.ITEMS)
                        .attribute("jid", room.jid().toString()).attribute("name", displayName(room)).build()));
        return items.build();
    }

    private static String displayName(Room room) {
        return room.config().name().isEmpty() ? room.jid().getLocalpart().toString() : room.config().name();
    }

    // ---- the operators' requests (the admin API) ----

    /**
     * Every room to the service ({@code <rooms/>}), whether public or not; a room destroyed ({@code <destroy/>}); a
     * removed account forgotten by a room ({@code <account-removed/>}, from {@link RemovedAccounts}).
     */
    private void operatorIq(Stanza iq, EntityBareJid roomJid) throws XmppStringprepException {
        XmlElement request = iq.payload().orElseThrow();
        boolean get = "get".equals(iq.type());
        if (roomJid == null && get && request.name().equals("rooms")) {
            XmlElement.Builder list = XmlElement.builder("rooms", OperatorRequests.NAMESPACE);
            rooms.store.rooms(service.address()).stream()
                    .sorted((a, b) -> a.jid().toString().compareTo(b.jid().toString()))
                    .forEach(room -> list.child(operatorView(room)));
            rooms.send.accept(iq.iqResult(list.build()).element());
        } else if (roomJid != null && !get && request.name().equals("destroy")) {
            Optional<Room> room = rooms.store.room(roomJid);
            if (room.isEmpty()) {
                rooms.send.accept(iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
                return;
            }
            administration.destroy(room.get(), request.attributeOrNull("alternate"), request.attributeOrNull("reason"));
            rooms.send.accept(iq.iqResult(null).element());
        } else if (roomJid != null && !get && request.name().equals(RemovedAccounts.REQUEST)
                && request.attributeOrNull("jid") != null) {
            BareJid account = JidCreate.bareFrom(request.attributeOrNull("jid"));
            rooms.store.room(roomJid).ifPresent(room -> administration.accountRemoved(room, account));
            rooms.send.accept(iq.iqResult(null).element());
        } else {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED).element());
        }
    }

    private XmlElement operatorView(Room room) {
        RoomConfig config = room.config();
        return XmlElement.builder("room", OperatorRequests.NAMESPACE)
                .attribute("jid", room.jid().toString()).attribute("name", displayName(room))
                .attribute("description", config.description())
                .attribute("public", Boolean.toString(config.publicRoom()))
                .attribute("persistent", Boolean.toString(config.persistent()))
                .attribute("members-only", Boolean.toString(config.membersOnly()))
                .attribute("moderated", Boolean.toString(config.moderated()))
                .attribute("password-protected", Boolean.toString(!config.password().isEmpty()))
                .attribute("locked", Boolean.toString(room.locked()))
                .attribute("occupants", Integer.toString(rooms.store.occupants(room.jid()).size()))
                .attribute("created", room.created().toString()).build();
    }

    // ---- a room ----

    private void roomIq(Stanza iq, Room room, EntityFullJid from) {
        if (!"get".equals(iq.type()) && !"set".equals(iq.type())) {
            return;
        }
        XmlElement payload = iq.payload().orElse(null);
        boolean get = "get".equals(iq.type());
        if (payload == null) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
        } else if (get && payload.is("query", DiscoInfo.INFO)
                && RoomRegistration.NICK_NODE.equals(payload.attributeOrNull("node"))) {
            rooms.send.accept(iq.iqResult(registration.reservedNick(room, from)).element());
        } else if (get && payload.is("query", DiscoInfo.ITEMS)
                && RoomHats.COMMANDS.equals(payload.attributeOrNull("node"))) {
            rooms.send.accept(iq.iqResult(hats.commandItems(room, from)).element());
        } else if (payload.attributeOrNull("node") != null && payload.namespace().startsWith(DiscoInfo.INFO)) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
        } else if (get && payload.is("query", DiscoInfo.INFO)) {
            rooms.send.accept(iq.iqResult(roomInfo(room)).element());
        } else if (get && payload.is("query", DiscoInfo.ITEMS)) {
            rooms.send.accept(iq.iqResult(roomItems(room, from)).element());
        } else if (payload.is("query", MucXml.ADMIN)) {
            administration.admin(iq, room, from, payload);
        } else if (payload.is("query", MucXml.OWNER)) {
            administration.owner(iq, room, from, payload);
        } else if (payload.is("query", RoomRegistration.REGISTER)) {
            registration.register(iq, room, from, payload);
        } else if (get && payload.is("ping", MucXml.PING)) {
            rooms.send.accept(iq.iqResult(null).element());
        } else if (RoomArchive.MAM.equals(payload.namespace())) {
            rooms.archive.request(iq, room, rooms.affiliation(room, from),
                    Rooms.occupant(rooms.store.occupants(room.jid()), from).isPresent(), rooms);
        } else if (payload.is("command", RoomHats.COMMANDS)) {
            hats.command(iq, room, from, payload);
        } else if (payload.is("vCard", RoomAvatar.VCARD)) {
            avatar.vcard(iq, room, from, payload);
        } else if (payload.is("moderate", RoomModeration.MODERATE)) {
            moderation.moderate(iq, room, from, payload);
        } else {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
        }
    }

    /** §6.4: the room's identity, its features (one of each pair of §15.4) and the {@code muc#roominfo} form. */
    private XmlElement roomInfo(Room room) {
        RoomConfig config = room.config();
        Set<String> features = new TreeSet<>(List.of(MucXml.MUC, DiscoInfo.INFO, DiscoInfo.ITEMS,
                MucXml.OCCUPANT_ID, MucXml.SELF_PING, "urn:xmpp:ping", RoomRegistration.REGISTER,
                config.persistent() ? "muc_persistent" : "muc_temporary",
                config.publicRoom() ? "muc_public" : "muc_hidden",
                config.membersOnly() ? "muc_membersonly" : "muc_open",
                config.moderated() ? "muc_moderated" : "muc_unmoderated",
                config.whois() == RoomConfig.Whois.ANYONE ? "muc_nonanonymous" : "muc_semianonymous",
                config.passwordProtected() ? "muc_passwordprotected" : "muc_unsecured",
                RoomArchive.SID, RoomModeration.MODERATE, RoomAvatar.VCARD, RoomHats.HATS, RoomHats.COMMANDS));
        if (rooms.archive.keeps(room)) {
            features.add(RoomArchive.MAM);
            features.add(RoomArchive.MAM + "#extended");
        }
        DiscoInfo info = new DiscoInfo(List.of(new DiscoInfo.Identity("conference", "text", displayName(room))),
                features);
        int occupants = Rooms.byNick(rooms.store.occupants(room.jid())).size();
        XmlElement.Builder form = XmlElement.builder("x", MucXml.DATA).attribute("type", "result")
                .child(MucXml.hiddenFormType(MucXml.ROOMINFO))
                .child(MucXml.field("muc#roomconfig_roomname", null, "Name", List.of(config.name()), List.of()))
                .child(MucXml.field("muc#roominfo_description", null, "Description",
                        List.of(config.description()), List.of()))
                .child(MucXml.field("muc#roominfo_occupants", null, "Occupants",
                        List.of(Integer.toString(occupants)), List.of()))
                .child(MucXml.field("muc#roominfo_subject", null, "Subject", List.of(room.subject().text()), List.of()))
                .child(MucXml.field("muc#roominfo_subjectmod", "boolean", "Participants may change the subject",
                        List.of(config.changeSubject() ? "1" : "0"), List.of()))
                .child(MucXml.field("muc#maxhistoryfetch", null, "Messages kept",
                        List.of(Integer.toString(config.historyLength())), List.of()));
        List<String> avatarHashes = avatar.hashes(room);
        if (!avatarHashes.isEmpty()) {
            // XEP-0486 §"Business Rules": no field at all without an avatar.
            form.child(MucXml.field(RoomAvatar.HASH_FIELD, "text-multi", "Avatar hash", avatarHashes, List.of()));
        }
        return info.toQuery(null).withChild(form.build());
    }

    /**
     * §6.5: the occupants, as {@code room/nick}, to occupants and, in a public room, to anyone; a hidden room lists
     * nobody to outsiders.
     */
    private XmlElement roomItems(Room room, EntityFullJid from) {
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        XmlElement.Builder items = XmlElement.builder("query", DiscoInfo.ITEMS);
        if (room.config().publicRoom() || Rooms.occupant(occupants, from).isPresent()) {
            for (Occupant occupant : Rooms.byNick(occupants)) {
                items.child(XmlElement.builder("item", DiscoInfo.ITEMS)
                        .attribute("jid", Rooms.address(room.jid(), occupant.nick())).build());
            }
        }
        return items.build();
    }

    // ---- an occupant ----

    /**
     * An IQ to {@code room/nick}. XEP-0410: a ping to one's own nick is answered by the room (result while joined,
     * not-acceptable otherwise). Any other request goes on to the occupant's session (§7.5 end) with an id that
     * carries the asker's, so the answer finds its way back without state.
     */
    private void occupantIq(Stanza iq, Room room, String nick, EntityFullJid from) {
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> asker = Rooms.occupant(occupants, from);
        boolean ping = iq.payload().map(p -> p.is("ping", MucXml.PING)).orElse(false);
        if (asker.isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.NOT_ACCEPTABLE).element());
            return;
        }
        if (ping && asker.get().nick().equals(nick)) {
            rooms.send.accept(iq.iqResult(null).element());
            return;
        }
        List<Occupant> targets = Rooms.withNick(occupants, nick);
        if (targets.isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
            return;
        }
        String relayedId = RELAYED + Base64.getUrlEncoder().withoutPadding()
                .encodeToString((from + "\n" + iq.id()).getBytes(StandardCharsets.UTF_8));
        rooms.send.accept(iq.element().withAttribute("from", Rooms.address(room.jid(), asker.get().nick()))
                .withAttribute("to", targets.get(targets.size() - 1).realJid().toString())
                .withAttribute("id", relayedId));
    }

    /** The answer to a relayed IQ: back to the asker, if it is still the occupant the answer is addressed to. */
    private void relayResponse(Stanza response, EntityBareJid roomJid, String nick, EntityFullJid from) {
        String id = response.id();
        if (id == null || !id.startsWith(RELAYED)) {
            return;
        }
        String[] decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(id.substring(RELAYED.length())), StandardCharsets.UTF_8)
                    .split("\n", 2);
        } catch (IllegalArgumentException e) {
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(roomJid);
        Optional<Occupant> answerer = Rooms.occupant(occupants, from);
        Optional<Occupant> asker = occupants.stream()
                .filter(o -> o.realJid().toString().equals(decoded[0]) && o.nick().equals(nick)).findFirst();
        if (decoded.length < 2 || answerer.isEmpty() || asker.isEmpty()) {
            return;
        }
        rooms.send.accept(response.element().withAttribute("from", Rooms.address(roomJid, answerer.get().nick()))
                .withAttribute("to", asker.get().realJid().toString()).withAttribute("id", decoded[1]));
    }

    /** The service's JID, for tests. */
    public DomainBareJid address() {
        return service.address();
    }
}
