package io.aviary.xep0045;

import io.aviary.archive.ArchiveRecord;
import io.aviary.bus.BusMessage;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jxmpp.jid.EntityBareJid;

/**
 * A room's archive (XEP-0313 for MUC rooms, §6 of the XEP): the room stamps every groupchat message it repeats with a
 * XEP-0359 {@code <stanza-id by=room/>} and, while its {@code muc#roomconfig_enablearchiving} is on and the server
 * runs an archive, hands the message to the archive service as an {@link ArchiveRecord} owned by the room's JID. The
 * archive service keeps room archives like user archives; a query to the room is checked here (who may read the
 * room) and then answered there, so the group chat tier never reads the archive store.
 */
public final class RoomArchive {

    public static final String MAM = "urn:xmpp:mam:2";
    static final String SID = "urn:xmpp:sid:0";
    private static final String HINTS = "urn:xmpp:hints";

    /** No archive: ids are still stamped (moderation and replies refer to them); nothing is kept or queried. */
    public static final RoomArchive NONE = new RoomArchive(() -> false, (key, message) -> { }, room -> { });

    /** What makes a groupchat message worth keeping, as for user archives (XEP-0313 §"Business rules"). */
    private static final Set<String> CONTENT = Set.of("body " + Stanza.CLIENT_NAMESPACE,
            "encrypted urn:xmpp:omemo:2", "encrypted eu.siacs.conversations.axolotl", "openpgp urn:xmpp:openpgp:0",
            "retract urn:xmpp:message-retract:1", "store " + HINTS);

    private final BooleanSupplier served;
    private final BiConsumer<String, BusMessage> archiveTopic;
    private final Consumer<EntityBareJid> destroyed;

    /**
     * @param served       whether the server runs an archive now (some capability serves the archive topic)
     * @param archiveTopic publishes on the archive topic with the given key
     */
    public RoomArchive(BooleanSupplier served, BiConsumer<String, BusMessage> archiveTopic) {
        this(served, archiveTopic, room -> { });
    }

    private RoomArchive(BooleanSupplier served, BiConsumer<String, BusMessage> archiveTopic,
                        Consumer<EntityBareJid> destroyed) {
        this.served = served;
        this.archiveTopic = archiveTopic;
        this.destroyed = destroyed;
    }

    /** This archive, telling {@code destroyed} when a room is destroyed (the capability emits {@code room.destroyed}). */
    public RoomArchive whenDestroyed(Consumer<EntityBareJid> destroyed) {
        return new RoomArchive(served, archiveTopic, destroyed);
    }

    /**
     * The room is gone (§10.9, §10.1.1), and its archive with it: the capability emits {@code room.destroyed}, and the
     * archive service removes the room's archive on the room's key of the archive topic, after its last records.
     */
    void destroyed(EntityBareJid room) {
        destroyed.accept(room);
    }

    /** Whether {@code room}'s messages go to its archive now. */
    boolean keeps(Room room) {
        return room.config().archiving() && served.getAsBoolean();
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The stanza id of a room message: derived from the bus record that brought it when the bus names one, so that the
     * instance that takes a room over after a crash and handles that record again sends the very same message, which
     * the gateways then recognise as a copy and drop; random otherwise.
     */
    static String idFor(EntityBareJid room, String publication) {
        return publication == null ? newId()
                : UUID.nameUUIDFromBytes((room + " " + publication).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** {@code message} with the room's XEP-0359 stanza id. */
    static XmlElement withStanzaId(XmlElement message, EntityBareJid room, String id) {
        return message.withChild(XmlElement.builder("stanza-id", SID).attribute("by", room.toString())
                .attribute("id", id).build());
    }

    /** The room's stanza id on a message it repeated, or null. */
    static String stanzaId(XmlElement message, EntityBareJid room) {
        return message.elements().filter(e -> e.is("stanza-id", SID) && room.toString().equals(e.attributeOrNull("by")))
                .map(e -> e.attributeOrNull("id")).findFirst().orElse(null);
    }

    /** XEP-0359 §5: a stanza id that claims to be the room's is removed from what an occupant sends. */
    static boolean forgedId(XmlElement child, EntityBareJid room) {
        return child.is("stanza-id", SID) && room.toString().equals(child.attributeOrNull("by"));
    }

    /** Bodies, encrypted payloads, retractions; never with a XEP-0334 no-store or no-permanent-store hint. */
    static boolean archivable(XmlElement message) {
        return message.elements().noneMatch(e -> HINTS.equals(e.namespace())
                        && (e.name().equals("no-store") || e.name().equals("no-permanent-store")))
                && message.elements().anyMatch(e -> CONTENT.contains(e.name() + " " + e.namespace()));
    }

    /**
     * Keeps {@code message} (as the room repeated it, without {@code to}) in the room's archive under {@code id},
     * {@code with} the JID it came from ({@code room/nick}, or the room itself for what the room says).
     */
    void record(Room room, String id, String with, Instant at, XmlElement message) {
        if (keeps(room)) {
            String owner = room.jid().toString();
            archiveTopic.accept(owner, new ArchiveRecord(owner, id, ArchiveRecord.Direction.INCOMING, with, at,
                    ArchiveRecord.Reach.NONE, message).toBusMessage());
        }
    }

    /**
     * A XEP-0313 request to the room from {@code affiliation}: readable by anyone the room admits (an occupant, or in a
     * members-only room a member or above; outcasts never), then answered by the archive service, keyed by the room so
     * it follows the room's records. Preferences are the owner's configuration form, not a {@code <prefs/>} request.
     */
    void request(Stanza iq, Room room, Affiliation affiliation, boolean occupant, Rooms rooms) {
        XmlElement payload = iq.payload().orElseThrow();
        if (!keeps(room)) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
        } else if (!payload.is("query", MAM) && !payload.is("metadata", MAM)) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED).element());
        } else if (affiliation == Affiliation.OUTCAST || (room.config().membersOnly() && !occupant
                && !Privileges.atLeast(affiliation, Affiliation.MEMBER))) {
            rooms.send.accept(iq.errorReply(StanzaErrorCondition.FORBIDDEN).element());
        } else {
            archiveTopic.accept(room.jid().toString(), BusMessage.of(iq.element()));
        }
    }
}
