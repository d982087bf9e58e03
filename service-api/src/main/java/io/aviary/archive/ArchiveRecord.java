package io.aviary.archive;

import io.aviary.bus.BusMessage;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One message for one user's archive, as the router hands it to the archive service on
 * {@link io.aviary.bus.Topics#ARCHIVE}, keyed by {@link #owner()}: the message itself (for an incoming message exactly
 * as delivered, with the XEP-0359 {@code <stanza-id by=owner id=id/>} the router stamped) and, in headers, what the
 * archive needs besides it. A message between two local users makes two records, one per archive. The archive
 * service's push notifications (XEP-0357) read the same records.
 *
 * @param owner     the bare JID of the account whose archive this is
 * @param id        the XEP-0359 stanza id in that archive, unique per owner
 * @param direction whether the owner received or sent it
 * @param with      the other party's full JID as the message gave it (its {@code from} for incoming, {@code to} for
 *                  outgoing)
 * @param stamp     when the router handled it: the archive's time for XEP-0313 {@code start}/{@code end}
 * @param reach     for an incoming message, whether a connected client got it (XEP-0357 notifies only when none did)
 * @param message   the {@code <message/>}
 * @param kept      whether the archive keeps it; false for a copy handed over only for XEP-0357 push notifications
 *                  (a groupchat message that reached the owner's hibernated sessions alone, which user archives do
 *                  not keep)
 */
public record ArchiveRecord(String owner, String id, Direction direction, String with, Instant stamp, Reach reach,
                            XmlElement message, boolean kept) {

    public static final String OWNER = "archive-owner";
    public static final String ID = "archive-id";
    public static final String DIRECTION = "archive-direction";
    public static final String WITH = "archive-with";
    public static final String STAMP = "archive-stamp";
    public static final String REACH = "archive-reach";
    /** Present, with {@code false}, only on a record the archive does not keep ({@link #kept()}). */
    public static final String KEPT = "archive-kept";
    public static final String REMOVE_OWNER = "archive-remove-owner";

    public enum Direction { INCOMING, OUTGOING }

    /** What became of an incoming message; {@link #NONE} for an outgoing one. */
    public enum Reach {
        /** Delivered to at least one session that is connected. */
        ONLINE,
        /** Queued only for XEP-0198 sessions that are hibernated (the phone lost its connection). */
        HIBERNATED,
        /** Stored offline: the account has no available resource. */
        OFFLINE,
        NONE
    }

    public ArchiveRecord {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(reach, "reach");
        Objects.requireNonNull(message, "message");
    }

    /** A record the archive keeps. */
    public ArchiveRecord(String owner, String id, Direction direction, String with, Instant stamp, Reach reach,
                         XmlElement message) {
        this(owner, id, direction, with, stamp, reach, message, true);
    }

    public BusMessage toBusMessage() {
        Map<String, String> headers = Map.of(OWNER, owner, ID, id, DIRECTION, direction.name(), WITH, with,
                STAMP, Long.toString(stamp.toEpochMilli()), REACH, reach.name());
        if (!kept) {
            headers = new HashMap<>(headers);
            headers.put(KEPT, "false");
        }
        return new BusMessage(message, headers);
    }

    /**
     * A request, published on the archive topic keyed by {@code owner} after the owner's last record, to remove the
     * owner's whole archive once the records before it are written (a removed account's, a destroyed room's: the
     * archive service publishes it on hearing the event). On the owner's key it is ordered after those records, as an
     * event on another topic is not. Only services publish on the archive topic.
     */
    public static BusMessage removal(String owner) {
        return new BusMessage(XmlElement.builder("message", "jabber:client").attribute("from", owner)
                .attribute("to", owner).build(), Map.of(REMOVE_OWNER, owner));
    }

    /** The owner whose archive {@code message} asks to remove ({@link #removal}), or null. */
    public static String removalOf(BusMessage message) {
        return message.header(REMOVE_OWNER);
    }

    /** Whether {@code message} carries a record's headers (the archive topic also carries IQs). */
    public static boolean isRecord(BusMessage message) {
        return message.header(OWNER) != null && message.header(ID) != null;
    }

    /** The record a bus message carries; {@link IllegalArgumentException} when a header is missing or malformed. */
    public static ArchiveRecord from(BusMessage message) {
        try {
            return new ArchiveRecord(message.header(OWNER), message.header(ID),
                    Direction.valueOf(message.header(DIRECTION)), message.header(WITH),
                    Instant.ofEpochMilli(Long.parseLong(message.header(STAMP))), Reach.valueOf(message.header(REACH)),
                    message.stanza(), !"false".equals(message.header(KEPT)));
        } catch (NullPointerException | NumberFormatException e) {
            throw new IllegalArgumentException("not an archive record: " + message.headers(), e);
        }
    }
}
