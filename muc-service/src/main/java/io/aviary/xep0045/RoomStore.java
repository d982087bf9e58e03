package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Where the group chat service keeps rooms, their occupants and their discussion history: the in-memory store for
 * tests, the embedded database standalone, PostgreSQL in a cluster. The service reads and writes through it for
 * every stanza (a room's stanzas arrive one at a time, keyed by the room on the bus), so that a room continues
 * where it was when another muc-service instance takes over its partition. Temporary rooms are kept too, until
 * their last occupant leaves. Implementations are thread-safe; calls for different rooms may run in parallel.
 */
public interface RoomStore {

    Optional<Room> room(EntityBareJid room);

    /** Creates or replaces the room's lasting state. */
    void saveRoom(Room room);

    /** Removes the room with its occupants and history. */
    void removeRoom(EntityBareJid room);

    /** Every room of the service, for disco#items and operators (public or not: the caller filters). */
    List<Room> rooms(DomainBareJid service);

    /**
     * The rooms that hold an affiliation or a hat (XEP-0317) of {@code user}: where its account's removal has
     * something to take away.
     */
    List<EntityBareJid> roomsNaming(BareJid user);

    /** The room's occupants, in the order they entered. */
    List<Occupant> occupants(EntityBareJid room);

    /** Adds the occupant, or replaces the one with the same real JID (a nickname, role or presence change). */
    void saveOccupant(EntityBareJid room, Occupant occupant);

    void removeOccupant(EntityBareJid room, EntityFullJid realJid);

    /** The rooms the session is in, to take it out of each when it ends or its gateway dies. */
    List<EntityBareJid> roomsOf(EntityFullJid realJid);

    /** Appends to the room's history, keeping only its last {@code keep} entries. */
    void appendHistory(EntityBareJid room, HistoryEntry entry, int keep);

    /** The room's kept history, oldest first. */
    List<HistoryEntry> history(EntityBareJid room);

    /**
     * Takes the message with the room's stanza id {@code stanzaId} out of the history (XEP-0425 moderation); whether it
     * was there.
     */
    boolean removeHistory(EntityBareJid room, String stanzaId);

    /** The room's vCard-temp (XEP-0486 room avatar), kept apart from the configuration every stanza reads. */
    Optional<XmlElement> vcard(EntityBareJid room);

    /** Replaces the room's vCard; null removes it. Removed with the room. */
    void saveVcard(EntityBareJid room, XmlElement vcard);
}
