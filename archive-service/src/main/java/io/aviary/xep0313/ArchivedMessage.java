package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.Objects;

/**
 * One message in one user's archive.
 *
 * @param owner     the archive owner's bare JID
 * @param id        its XEP-0359 stanza id, unique in the owner's archive
 * @param stamp     when it was archived (the router's time): what XEP-0313 {@code start} and {@code end} compare
 * @param direction received or sent by the owner
 * @param with      the other party's JID as the message gave it (full when it had a resource)
 * @param clientId  the sender's id for it: its XEP-0359 {@code <origin-id/>}, else its {@code id} attribute, else null;
 *                  what XEP-0424 retractions and XEP-0308 corrections refer to
 * @param message   the message as archived, or the XEP-0424 tombstone that replaced it
 * @param retracted whether {@link #message()} is a tombstone
 */
public record ArchivedMessage(String owner, String id, Instant stamp, ArchiveRecord.Direction direction, String with,
                              String clientId, XmlElement message, boolean retracted) {

    public ArchivedMessage {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(with, "with");
        Objects.requireNonNull(message, "message");
    }

    /** {@link #with()} without its resource. */
    public String withBare() {
        int slash = with.indexOf('/');
        return slash < 0 ? with : with.substring(0, slash);
    }
}
