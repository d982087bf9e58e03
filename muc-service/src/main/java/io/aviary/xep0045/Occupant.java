package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Objects;
import org.jxmpp.jid.EntityFullJid;

/**
 * One session in a room: its nickname, its real full JID (several sessions of one account may share a nickname,
 * §7.2.9 multi-session nicks), its role, the last presence it sent to the room (as received, with its payloads, which
 * the room rebroadcasts), and its XEP-0421 occupant id.
 */
public record Occupant(String nick, EntityFullJid realJid, Role role, XmlElement presence, String occupantId) {

    public Occupant {
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(realJid, "realJid");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(occupantId, "occupantId");
    }

    public Occupant withRole(Role newRole) {
        return new Occupant(nick, realJid, newRole, presence, occupantId);
    }

    public Occupant withNick(String newNick) {
        return new Occupant(newNick, realJid, role, presence, occupantId);
    }

    public Occupant withPresence(XmlElement newPresence) {
        return new Occupant(nick, realJid, role, newPresence, occupantId);
    }
}
