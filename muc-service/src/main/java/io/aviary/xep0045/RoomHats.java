package io.aviary.xep0045;

import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Hats (XEP-0317, urn:xmpp:hats:0): owners and admins put hats on users and take them off with the XEP-0050 commands
 * {@code urn:xmpp:hats:commands:don} and {@code :doff} at the room's JID; every presence of a wearer the room sends
 * carries {@code <hats/>}. A command runs in one or two steps (execute, then the submitted form) and keeps no state
 * between them: the form carries everything, so any instance of the service may take the second step.
 */
final class RoomHats {

    static final String HATS = "urn:xmpp:hats:0";
    static final String COMMANDS = "http://jabber.org/protocol/commands";
    static final String DON = "urn:xmpp:hats:commands:don";
    static final String DOFF = "urn:xmpp:hats:commands:doff";
    private static final String FORM_TYPE = "urn:xmpp:hats:commands";

    private final Rooms rooms;

    RoomHats(Rooms rooms) {
        this.rooms = rooms;
    }

    /** XEP-0050 §2.2: the commands {@code from} may run here (none for those below admin). */
    XmlElement commandItems(Room room, EntityFullJid from) {
        XmlElement.Builder items = XmlElement.builder("query", DiscoInfo.ITEMS).attribute("node", COMMANDS);
        if (Privileges.atLeast(rooms.affiliation(room, from), Affiliation.ADMIN)) {
            items.child(item(room, DON, "Put a hat on a user")).child(item(room, DOFF, "Take a hat off a user"));
        }
        return items.build();
    }

    private static XmlElement item(Room room, String node, String name) {
        return XmlElement.builder("item", DiscoInfo.ITEMS).attribute("jid", room.jid().toString())
                .attribute("node", node).attribute("name", name).build();
    }

    void command(Stanza iq, Room room, EntityFullJid from, XmlElement command) {
        String node = command.attributeOrNull("node");
        String action = command.attributeOrNull("action") == null ? "execute" : command.attributeOrNull("action");
        if (!"set".equals(iq.type())) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.BAD_REQUEST).element());
            return;
        }
        if (!DON.equals(node) && !DOFF.equals(node)) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND).element());
            return;
        }
        if (!Privileges.atLeast(rooms.affiliation(room, from), Affiliation.ADMIN)) {
            rooms.send.accept(iq.errorReply(StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "Only owners and admins hand out hats")).element());
            return;
        }
        String session = command.attributeOrNull("sessionid") != null ? command.attributeOrNull("sessionid")
                : UUID.randomUUID().toString();
        if ("cancel".equals(action)) {
            rooms.send.accept(iq.iqResult(status(node, session, "canceled").build()).element());
            return;
        }
        XmlElement submitted = command.child("x", MucXml.DATA).filter(x -> "submit".equals(x.attributeOrNull("type")))
                .orElse(null);
        if (submitted == null) {
            rooms.send.accept(iq.iqResult(status(node, session, "executing")
                    .child(XmlElement.builder("actions", COMMANDS).attribute("execute", "complete")
                            .child(XmlElement.empty("complete", COMMANDS)).build())
                    .child(form(node)).build()).element());
            return;
        }
        Map<String, List<String>> values = MucXml.values(submitted);
        BareJid wearer;
        try {
            wearer = JidCreate.bareFrom(first(values, "accountjid"));
        } catch (XmppStringprepException | NullPointerException e) {
            badPayload(iq, "accountjid: a JID is required");
            return;
        }
        String uri = first(values, "hat");
        if (uri == null || uri.isBlank() || uri.indexOf('\t') >= 0) {
            badPayload(iq, "hat: the hat's URI is required");
            return;
        }
        List<Hat> hats = new ArrayList<>(room.config().hats());
        hats.removeIf(hat -> hat.wearer().equals(wearer) && hat.uri().equals(uri));
        if (DON.equals(node)) {
            String title = first(values, "hat_title");
            hats.add(new Hat(wearer, uri, title == null || title.isBlank() ? uri : title));
        }
        Room changed = room.withConfig(room.config().withHats(hats));
        rooms.store.saveRoom(changed);
        rooms.send.accept(iq.iqResult(status(node, session, "completed").build()).element());
        List<Occupant> occupants = rooms.store.occupants(room.jid());
        for (Occupant occupant : occupants) {
            if (occupant.realJid().asBareJid().equals(wearer)) {
                rooms.broadcast(changed, occupants, occupant, false, Rooms.Notice.NONE);
            }
        }
    }

    /** XEP-0050 §4.6: bad-request with the commands' own {@code <bad-payload/>} condition. */
    private void badPayload(Stanza iq, String text) {
        XmlElement reply = iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST, text)).element();
        rooms.send.accept(reply.withChildren(reply.children().stream()
                .map(child -> child instanceof XmlElement e && e.is("error", MucXml.CLIENT)
                        ? e.withChild(XmlElement.empty("bad-payload", COMMANDS)) : child).toList()));
    }

    private static XmlElement.Builder status(String node, String session, String status) {
        return XmlElement.builder("command", COMMANDS).attribute("node", node).attribute("sessionid", session)
                .attribute("status", status);
    }

    private static XmlElement form(String node) {
        boolean don = DON.equals(node);
        XmlElement.Builder form = XmlElement.builder("x", MucXml.DATA).attribute("type", "form")
                .textChild("title", don ? "Assigning a hat" : "Removing a hat")
                .child(MucXml.hiddenFormType(FORM_TYPE))
                .child(required(MucXml.field("accountjid", "jid-single", "User address", List.of(), List.of())))
                .child(required(MucXml.field("hat", "text-single", "The hat's URI", List.of(), List.of())));
        if (don) {
            form.child(MucXml.field("hat_title", "text-single", "The hat's title", List.of(), List.of()));
        }
        return form.build();
    }

    private static XmlElement required(XmlElement field) {
        return field.withChild(XmlElement.empty("required", MucXml.DATA));
    }

    private static String first(Map<String, List<String>> values, String var) {
        List<String> found = values.get(var);
        return found == null || found.isEmpty() ? null : found.get(0);
    }
}
