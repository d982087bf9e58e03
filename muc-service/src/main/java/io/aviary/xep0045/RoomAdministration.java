package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The room's {@code muc#admin} (§8, §9: roles by nick, affiliations by JID, their lists) and {@code muc#owner}
 * (§10: the configuration form, cancelling creation, destruction) queries.
 */
final class RoomAdministration {

    /** The configuration form's fields: var, type, label, options (the values come from {@link RoomConfig}). */
    private record FormField(String var, String type, String label, List<String> options) {
    }

    private static final List<FormField> FORM = List.of(
            new FormField("muc#roomconfig_roomname", "text-single", "Name", List.of()),
            new FormField("muc#roomconfig_roomdesc", "text-single", "Description", List.of()),
            new FormField("muc#roomconfig_persistentroom", "boolean", "Persistent (kept when empty)", List.of()),
            new FormField("muc#roomconfig_publicroom", "boolean", "Listed in the directory of rooms", List.of()),
            new FormField("muc#roomconfig_moderatedroom", "boolean", "Moderated (only participants speak)", List.of()),
            new FormField("muc#roomconfig_membersonly", "boolean", "Members only", List.of()),
            new FormField("muc#roomconfig_passwordprotectedroom", "boolean", "Password protected", List.of()),
            new FormField("muc#roomconfig_roomsecret", "text-private", "Password", List.of()),
            new FormField("muc#roomconfig_whois", "list-single", "Who may see real JIDs",
                    List.of("moderators", "anyone")),
            new FormField("muc#roomconfig_maxusers", "list-single", "Most occupants",
                    List.of("none", "10", "20", "30", "50", "100", "200")),
            new FormField("muc#roomconfig_allowinvites", "boolean", "Occupants may invite", List.of()),
            new FormField("muc#roomconfig_changesubject", "boolean", "Participants may change the subject", List.of()),
            new FormField("muc#roomconfig_allowpm", "list-single", "Who may send private messages",
                    List.of("anyone", "participants", "moderators", "none")),
            new FormField("muc#maxhistoryfetch", "text-single", "Messages kept for newcomers", List.of()),
            new FormField("muc#roomconfig_enablelogging", "boolean", "Logged", List.of()),
            new FormField(RoomConfig.PRESENCE_BROADCAST, "list-multi", "Roles whose presence is broadcast",
                    List.of("moderator", "participant", "visitor")),
            new FormField(RoomConfig.ENABLE_ARCHIVING, "boolean", "Archive messages on the server (XEP-0313)",
                    List.of()));

    private final Rooms rooms;

    RoomAdministration(Rooms rooms) {
        this.rooms = rooms;
    }

    // ---- muc#admin ----

    void admin(Stanza iq, Room room, EntityFullJid from, XmlElement query) {
        List<XmlElement> items = query.elements().filter(e -> e.is("item", MucXml.ADMIN)).toList();
        if (items.isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        Optional<Occupant> actor = Rooms.occupant(occupants, from);
        Affiliation actorAffiliation = rooms.affiliation(room, from);
        if ("get".equals(iq.type())) {
            list(iq, room, occupants, actor, actorAffiliation, items.get(0));
            return;
        }
        Plan plan = new Plan(room);
        for (XmlElement item : items) {
            StanzaErrorCondition refusal = plan(item, plan, occupants, actor, actorAffiliation);
            if (refusal != null) {
                rooms.send.accept(iq.errorReply(refusal).element());
                return;
            }
        }
        // Every item is checked before any is applied: the whole request succeeds or fails (§9.1 "one or more items").
        rooms.send.accept(iq.iqResult(null).element());
        plan.changes.forEach(Runnable::run);
    }

    private void list(Stanza iq, Room room, List<Occupant> occupants, Optional<Occupant> actor,
                      Affiliation actorAffiliation, XmlElement item) {
        XmlElement.Builder result = XmlElement.builder("query", MucXml.ADMIN);
        try {
            if (item.attributeOrNull("affiliation") != null) {
                Affiliation listed = Affiliation.fromXml(item.attributeOrNull("affiliation"));
                StanzaErrorCondition refusal = listed == Affiliation.NONE ? StanzaErrorCondition.BAD_REQUEST
                        : Privileges.affiliationList(actorAffiliation);
                if (refusal != null) {
                    rooms.send.accept(iq.errorReply(refusal).element());
                    return;
                }
                room.affiliations().values().stream().filter(e -> e.affiliation() == listed).forEach(e ->
                        result.child(XmlElement.builder("item", MucXml.ADMIN).attribute("affiliation", listed.xml())
                                .attribute("jid", e.user().toString()).attribute("nick", e.nick())
                                .children(e.reason() == null || e.reason().isEmpty() ? List.of()
                                        : List.of(XmlElement.builder("reason", MucXml.ADMIN).text(e.reason()).build()))
                                .build()));
            } else if (item.attributeOrNull("role") != null) {
                Role listed = Role.fromXml(item.attributeOrNull("role"));
                StanzaErrorCondition refusal = Privileges.roleList(actor.map(Occupant::role).orElse(Role.NONE));
                if (refusal != null) {
                    rooms.send.accept(iq.errorReply(refusal).element());
                    return;
                }
                Rooms.byNick(occupants).stream().filter(o -> o.role() == listed).forEach(o ->
                        result.child(XmlElement.builder("item", MucXml.ADMIN).attribute("role", listed.xml())
                                .attribute("affiliation", rooms.affiliation(room, o.realJid()).xml())
                                .attribute("jid", o.realJid().toString()).attribute("nick", o.nick()).build()));
            } else {
                rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
                return;
            }
        } catch (IllegalArgumentException e) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        rooms.send.accept(iq.iqResult(result.build()).element());
    }

    /** The items of one {@code muc#admin} set: the room as the earlier items leave it, and their effects to apply. */
    private static final class Plan {
        private Room room;
        private final List<Runnable> changes = new ArrayList<>();

        private Plan(Room room) {
            this.room = room;
        }
    }

    /** Checks one item of a set and, when allowed, adds its effect to the plan; null when allowed. */
    private StanzaErrorCondition plan(XmlElement item, Plan plan, List<Occupant> occupants,
                                      Optional<Occupant> actor, Affiliation actorAffiliation) {
        String reason = item.childText("reason", MucXml.ADMIN).orElse(null);
        String actorNick = actor.map(Occupant::nick).orElse(null);
        try {
            if (item.attributeOrNull("role") != null && item.attributeOrNull("nick") != null) {
                Role newRole = Role.fromXml(item.attributeOrNull("role"));
                List<Occupant> targets = Rooms.withNick(occupants, item.attributeOrNull("nick"));
                if (targets.isEmpty()) {
                    return actor.isPresent() && actor.get().role() == Role.MODERATOR
                            ? StanzaErrorCondition.ITEM_NOT_FOUND : StanzaErrorCondition.FORBIDDEN;
                }
                Occupant target = targets.get(0);
                StanzaErrorCondition refusal = Privileges.roleChange(actorAffiliation,
                        actor.map(Occupant::role).orElse(Role.NONE), rooms.affiliation(plan.room, target.realJid()),
                        target.role(), newRole);
                if (refusal != null) {
                    return refusal;
                }
                EntityBareJid roomJid = plan.room.jid();
                plan.changes.add(() -> changeRole(roomJid, targets, newRole, new Rooms.Notice(
                        newRole == Role.NONE ? List.of(307) : List.of(), null, actorNick, reason, null)));
                return null;
            }
            if (item.attributeOrNull("affiliation") != null && item.attributeOrNull("jid") != null) {
                Affiliation newAffiliation = Affiliation.fromXml(item.attributeOrNull("affiliation"));
                BareJid user = JidCreate.from(item.attributeOrNull("jid")).asBareJid();
                Room room = plan.room;
                Affiliation current = room.affiliationOf(user);
                StanzaErrorCondition refusal = Privileges.affiliationChange(actorAffiliation, current, newAffiliation);
                if (refusal != null) {
                    return refusal;
                }
                if (rooms.serviceOwner(user) && newAffiliation != Affiliation.OWNER) {
                    return StanzaErrorCondition.NOT_ACCEPTABLE; // the server's administrators stay owners (Prosody too)
                }
                long owners = room.affiliations().values().stream()
                        .filter(e -> e.affiliation() == Affiliation.OWNER).count();
                if (current == Affiliation.OWNER && newAffiliation != Affiliation.OWNER && owners <= 1) {
                    return StanzaErrorCondition.CONFLICT; // §10.7: a room keeps at least one owner
                }
                AffiliationEntry previous = room.affiliations().get(user);
                plan.room = room.withAffiliation(new AffiliationEntry(user, newAffiliation,
                        previous == null ? null : previous.nick(), reason));
                Room after = plan.room;
                plan.changes.add(() -> changeAffiliation(after, user, newAffiliation, actorNick, reason));
                return null;
            }
        } catch (IllegalArgumentException | XmppStringprepException e) {
            return StanzaErrorCondition.BAD_REQUEST;
        }
        return StanzaErrorCondition.BAD_REQUEST;
    }

    /** §8.2-8.4, §9.6-9.7: every session of the nick takes the new role, or leaves with 307 when kicked. */
    private void changeRole(EntityBareJid roomJid, List<Occupant> targets, Role newRole, Rooms.Notice notice) {
        Room room = rooms.store.room(roomJid).orElse(null);
        if (room == null) {
            return;
        }
        for (Occupant target : targets) {
            List<Occupant> everyone = rooms.store.occupants(room.jid());
            if (newRole == Role.NONE) {
                rooms.store.removeOccupant(room.jid(), target.realJid());
                rooms.broadcast(room, everyone, target.withRole(Role.NONE), true, notice);
            } else {
                Occupant changed = target.withRole(newRole);
                rooms.store.saveOccupant(room.jid(), changed);
                rooms.broadcast(room, rooms.store.occupants(room.jid()), changed, false, notice);
                rooms.refreshView(room, room, target.role(), changed);
            }
        }
        rooms.removeIfDeserted(room);
    }

    /**
     * §9.1-9.4, §10.3-10.7: the affiliation is stored, then the user's sessions in the room see its effect: an
     * outcast is removed (301), a non-member of a members-only room too (321), others get the role the new
     * affiliation gives.
     */
    private void changeAffiliation(Room planned, BareJid user, Affiliation affiliation, String actorNick, String reason) {
        Room room = rooms.store.room(planned.jid()).orElse(null);
        if (room == null) {
            return;
        }
        AffiliationEntry entry = planned.affiliations().get(user);
        room = room.withAffiliation(entry != null ? entry : new AffiliationEntry(user, Affiliation.NONE, null, null));
        rooms.store.saveRoom(room);
        for (Occupant occupant : rooms.store.occupants(room.jid())) {
            if (!occupant.realJid().asBareJid().equals(user)) {
                continue;
            }
            List<Occupant> everyone = rooms.store.occupants(room.jid());
            boolean removed = affiliation == Affiliation.OUTCAST
                    || affiliation == Affiliation.NONE && room.config().membersOnly();
            if (removed) {
                rooms.store.removeOccupant(room.jid(), occupant.realJid());
                rooms.broadcast(room, everyone, occupant.withRole(Role.NONE), true, new Rooms.Notice(
                        List.of(affiliation == Affiliation.OUTCAST ? 301 : 321), null, actorNick, reason, null));
            } else {
                Occupant changed = occupant.withRole(Privileges.defaultRole(affiliation, room.config().moderated()));
                rooms.store.saveOccupant(room.jid(), changed);
                rooms.broadcast(room, rooms.store.occupants(room.jid()), changed, false,
                        new Rooms.Notice(List.of(), null, actorNick, reason, null));
                rooms.refreshView(room, room, occupant.role(), changed);
            }
        }
        rooms.removeIfDeserted(room);
    }

    // ---- muc#owner ----

    void owner(Stanza iq, Room room, EntityFullJid from, XmlElement query) {
        if (rooms.affiliation(room, from) != Affiliation.OWNER) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.FORBIDDEN).element());
            return;
        }
        if ("get".equals(iq.type())) {
            rooms.send.accept(iq.iqResult(XmlElement.builder("query", MucXml.OWNER).child(form(room)).build())
                    .element());
            return;
        }
        Optional<XmlElement> destroy = query.child("destroy", MucXml.OWNER);
        if (destroy.isPresent()) {
            rooms.send.accept(iq.iqResult(null).element());
            destroy(room, destroy.get().attributeOrNull("jid"), destroy.get().childText("reason", MucXml.OWNER)
                    .orElse(null));
            return;
        }
        Optional<XmlElement> x = query.child("x", MucXml.DATA);
        if (x.isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        if ("cancel".equals(x.get().attributeOrNull("type"))) {
            rooms.send.accept(iq.iqResult(null).element());
            if (room.locked()) {
                destroy(room, null, null); // §10.1.3: cancelling the initial configuration destroys the room
            }
            return;
        }
        if (!"submit".equals(x.get().attributeOrNull("type"))) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        configure(iq, room, x.get());
    }

    /** §10.2: the form with every field filled with the current value. */
    private static XmlElement form(Room room) {
        Map<String, List<String>> values = room.config().toFields();
        XmlElement.Builder x = XmlElement.builder("x", MucXml.DATA).attribute("type", "form")
                .textChild("title", "Configuration of " + room.jid())
                .child(MucXml.hiddenFormType(MucXml.ROOMCONFIG));
        for (FormField field : FORM) {
            List<String> options = new ArrayList<>(field.options());
            List<String> value = values.get(field.var());
            if (!options.isEmpty() && !options.containsAll(value)) {
                options.addAll(value);
            }
            x.child(MucXml.field(field.var(), field.type(), field.label(), value, options));
        }
        for (Affiliation listed : List.of(Affiliation.OWNER, Affiliation.ADMIN)) {
            List<String> jids = room.affiliations().values().stream().filter(e -> e.affiliation() == listed)
                    .map(e -> e.user().toString()).sorted().toList();
            x.child(MucXml.field(listVar(listed), "jid-multi",
                    listed == Affiliation.OWNER ? "Owners" : "Admins", jids, List.of()));
        }
        return x.build();
    }

    /**
     * §10.2: applies a submitted form (an empty one accepts the defaults, §10.1.2's instant room) and unlocks the
     * room; occupants hear of it with 104, and 172/173 when real JIDs become visible or hidden; a room turned
     * members-only loses its non-members (322).
     */
    private void configure(Stanza iq, Room room, XmlElement submitted) {
        Map<String, List<String>> values = new HashMap<>(MucXml.values(submitted));
        values.keySet().removeIf(var -> FORM.stream().noneMatch(f -> f.var().equals(var)));
        RoomConfig config;
        try {
            config = room.config().withFields(values);
        } catch (IllegalArgumentException e) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE, e.getMessage()))
                    .element());
            return;
        }
        if (config.historyLength() > rooms.properties.maxHistory()) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "muc#maxhistoryfetch: at most " + rooms.properties.maxHistory())).element());
            return;
        }
        List<String> protection = values.getOrDefault("muc#roomconfig_passwordprotectedroom", List.of());
        if (!protection.isEmpty() && List.of("1", "true").contains(protection.get(0)) && config.password().isEmpty()) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "a password-protected room needs muc#roomconfig_roomsecret")).element());
            return;
        }
        Map<BareJid, Affiliation> affiliations;
        try {
            affiliations = affiliationFields(room, MucXml.values(submitted));
        } catch (XmppStringprepException | IllegalArgumentException e) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE, e.getMessage()))
                    .element());
            return;
        }
        RoomConfig before = room.config();
        Room configured = room.withConfig(config).unlocked();
        for (Map.Entry<BareJid, Affiliation> change : affiliations.entrySet()) {
            configured = configured.withAffiliation(new AffiliationEntry(change.getKey(), change.getValue(), null, null));
        }
        rooms.store.saveRoom(configured);
        rooms.send.accept(iq.iqResult(null).element());
        for (Map.Entry<BareJid, Affiliation> change : affiliations.entrySet()) {
            changeAffiliation(configured, change.getKey(), change.getValue(), null, null);
        }
        if (room.locked()) {
            return; // nobody else is in a room being created
        }
        List<Integer> codes = new ArrayList<>(List.of(104));
        if (before.whois() != config.whois()) {
            codes.add(config.whois() == RoomConfig.Whois.ANYONE ? 172 : 173);
        }
        if (before.logging() != config.logging()) {
            codes.add(config.logging() ? 170 : 171);
        }
        XmlElement.Builder x = XmlElement.builder("x", MucXml.USER);
        codes.forEach(code -> x.child(MucXml.status(code)));
        for (Occupant occupant : rooms.store.occupants(room.jid())) {
            rooms.send.accept(MucXml.stanza("message", room.jid().toString(), occupant.realJid().toString(),
                    "groupchat").child(x.build()).build());
        }
        if (before.whois() != config.whois()) {
            for (Occupant occupant : rooms.store.occupants(room.jid())) {
                rooms.refreshView(room, configured, occupant.role(), occupant);
            }
        }
        if (config.membersOnly() && !before.membersOnly()) {
            for (Occupant occupant : rooms.store.occupants(room.jid())) {
                if (rooms.affiliation(configured, occupant.realJid()) == Affiliation.NONE) {
                    List<Occupant> everyone = rooms.store.occupants(room.jid());
                    rooms.store.removeOccupant(room.jid(), occupant.realJid());
                    rooms.broadcast(configured, everyone, occupant.withRole(Role.NONE), true, Rooms.Notice.codes(322));
                }
            }
        }
    }

    /**
     * The affiliation changes that the form's owner and admin lists ask for (§10.2 {@code muc#roomconfig_roomowners},
     * {@code muc#roomconfig_roomadmins}): those listed get the affiliation, those no longer listed lose it. A room
     * keeps at least one owner.
     */
    private static Map<BareJid, Affiliation> affiliationFields(Room room, Map<String, List<String>> values)
            throws XmppStringprepException {
        Map<BareJid, Affiliation> changes = new LinkedHashMap<>();
        for (Affiliation listed : List.of(Affiliation.ADMIN, Affiliation.OWNER)) {
            List<String> jids = values.get(listVar(listed));
            if (jids == null) {
                continue;
            }
            Set<BareJid> wanted = new LinkedHashSet<>();
            for (String jid : jids) {
                wanted.add(JidCreate.from(jid.trim()).asBareJid());
            }
            room.affiliations().values().stream().filter(e -> e.affiliation() == listed && !wanted.contains(e.user()))
                    .forEach(e -> changes.putIfAbsent(e.user(), Affiliation.NONE));
            wanted.forEach(user -> changes.put(user, listed));
        }
        Room after = room;
        for (Map.Entry<BareJid, Affiliation> change : changes.entrySet()) {
            after = after.withAffiliation(new AffiliationEntry(change.getKey(), change.getValue(), null, null));
        }
        if (after.affiliations().values().stream().noneMatch(e -> e.affiliation() == Affiliation.OWNER)) {
            throw new IllegalArgumentException("muc#roomconfig_roomowners: a room keeps at least one owner");
        }
        return changes;
    }

    private static String listVar(Affiliation listed) {
        return listed == Affiliation.OWNER ? "muc#roomconfig_roomowners" : "muc#roomconfig_roomadmins";
    }

    /**
     * An account of the server was removed: the room takes back what it gave the account, so that whoever registers
     * the name next is a stranger to the room, as the removed account's own data is gone for them. Owner, admin and
     * membership go as an admin's change to none would (§9.4, §10.7), sessions still in the room seeing it, and so do
     * the account's hats. A ban stays: it shuts the room to the address, whoever holds it, and lifting it is the room
     * admins' choice. A room whose last owner goes keeps going without one, for its other members; the operators may
     * still destroy it. Idempotent, since the request may come twice.
     */
    void accountRemoved(Room room, BareJid account) {
        List<Hat> hats = room.config().hats().stream().filter(hat -> !hat.wearer().equals(account)).toList();
        if (hats.size() != room.config().hats().size()) {
            room = room.withConfig(room.config().withHats(hats));
            rooms.store.saveRoom(room);
        }
        Affiliation current = room.affiliationOf(account);
        if (current != Affiliation.NONE && current != Affiliation.OUTCAST) {
            changeAffiliation(room.withAffiliation(new AffiliationEntry(account, Affiliation.NONE, null, null)),
                    account, Affiliation.NONE, null, null);
        }
    }

    /** §10.9: every occupant is told, with the alternate venue and reason, and the room is gone. */
    void destroy(Room room, String alternate, String reason) {
        XmlElement.Builder destroy = XmlElement.builder("destroy", MucXml.USER).attribute("jid", alternate);
        if (reason != null) {
            destroy.textChild("reason", reason);
        }
        Rooms.Notice notice = new Rooms.Notice(List.of(), null, null, null, destroy.build());
        // §10.9: the item says affiliation none, role none: nobody keeps anything in a room that is gone.
        Room gone = new Room(room.jid(), room.config(), Map.of(), room.subject(), false, room.created());
        for (Occupant occupant : rooms.store.occupants(room.jid())) {
            rooms.send.accept(rooms.presence(gone, occupant.withRole(Role.NONE), occupant, true, notice));
        }
        rooms.store.removeRoom(room.jid());
        rooms.archive.destroyed(room.jid());
    }
}
