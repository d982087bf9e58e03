package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/** The reference {@link RoomStore}: everything in memory, lost with the process (tests, and the contract's model). */
public final class InMemoryRoomStore implements RoomStore {

    private final Map<EntityBareJid, Room> rooms = new ConcurrentHashMap<>();
    private final Map<EntityBareJid, Map<EntityFullJid, Occupant>> occupants = new ConcurrentHashMap<>();
    private final Map<EntityBareJid, Deque<HistoryEntry>> histories = new ConcurrentHashMap<>();
    private final Map<EntityBareJid, XmlElement> vcards = new ConcurrentHashMap<>();

    @Override
    public Optional<Room> room(EntityBareJid room) {
        return Optional.ofNullable(rooms.get(room));
    }

    @Override
    public void saveRoom(Room room) {
        rooms.put(room.jid(), room);
    }

    @Override
    public void removeRoom(EntityBareJid room) {
        rooms.remove(room);
        occupants.remove(room);
        histories.remove(room);
        vcards.remove(room);
    }

    @Override
    public List<Room> rooms(DomainBareJid service) {
        return rooms.values().stream().filter(room -> room.jid().asDomainBareJid().equals(service)).toList();
    }

    @Override
    public List<EntityBareJid> roomsNaming(BareJid user) {
        return rooms.values().stream().filter(room -> room.affiliations().containsKey(user)
                || room.config().hats().stream().anyMatch(hat -> hat.wearer().equals(user))).map(Room::jid).toList();
    }

    @Override
    public List<Occupant> occupants(EntityBareJid room) {
        Map<EntityFullJid, Occupant> inRoom = occupants.get(room);
        if (inRoom == null) {
            return List.of();
        }
        synchronized (inRoom) {
            return List.copyOf(inRoom.values());
        }
    }

    @Override
    public void saveOccupant(EntityBareJid room, Occupant occupant) {
        Map<EntityFullJid, Occupant> inRoom = occupants.computeIfAbsent(room, r -> new LinkedHashMap<>());
        synchronized (inRoom) {
            inRoom.put(occupant.realJid(), occupant);
        }
    }

    @Override
    public void removeOccupant(EntityBareJid room, EntityFullJid realJid) {
        Map<EntityFullJid, Occupant> inRoom = occupants.get(room);
        if (inRoom != null) {
            synchronized (inRoom) {
                inRoom.remove(realJid);
            }
        }
    }

    @Override
    public List<EntityBareJid> roomsOf(EntityFullJid realJid) {
        List<EntityBareJid> in = new ArrayList<>();
        occupants.forEach((room, inRoom) -> {
            synchronized (inRoom) {
                if (inRoom.containsKey(realJid)) {
                    in.add(room);
                }
            }
        });
        return in;
    }

    @Override
    public void appendHistory(EntityBareJid room, HistoryEntry entry, int keep) {
        Deque<HistoryEntry> history = histories.computeIfAbsent(room, r -> new ArrayDeque<>());
        synchronized (history) {
            history.addLast(entry);
            while (history.size() > keep) {
                history.removeFirst();
            }
        }
    }

    @Override
    public List<HistoryEntry> history(EntityBareJid room) {
        Deque<HistoryEntry> history = histories.get(room);
        if (history == null) {
            return List.of();
        }
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public boolean removeHistory(EntityBareJid room, String stanzaId) {
        Deque<HistoryEntry> history = histories.get(room);
        if (history == null) {
            return false;
        }
        synchronized (history) {
            return history.removeIf(entry -> stanzaId.equals(RoomArchive.stanzaId(entry.message(), room)));
        }
    }

    @Override
    public Optional<XmlElement> vcard(EntityBareJid room) {
        return Optional.ofNullable(vcards.get(room));
    }

    @Override
    public void saveVcard(EntityBareJid room, XmlElement vcard) {
        if (vcard == null) {
            vcards.remove(room);
        } else {
            vcards.put(room, vcard);
        }
    }
}
