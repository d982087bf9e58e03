package io.aviary.xep0313;

import io.aviary.archive.ArchiveRecord;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * XEP-0424 (urn:xmpp:message-retract:1) in a user archive: a message that carries {@code <retract id='X'/>} asks
 * that the message with origin id (or id) X in the same one-to-one conversation be replaced by a tombstone.
 */
public final class Retraction {

    public static final String NAMESPACE = "urn:xmpp:message-retract:1";
    static final String SID_NAMESPACE = "urn:xmpp:sid:0";
    static final String MODERATE = "urn:xmpp:message-moderate:1";
    private static final String OCCUPANT_ID = "urn:xmpp:occupant-id:0";

    private Retraction() {
    }

    /** The id the message retracts, when it is a retraction. */
    public static Optional<String> target(XmlElement message) {
        return message.child("retract", NAMESPACE).map(r -> r.attributeOrNull("id")).filter(id -> !id.isEmpty());
    }

    /**
     * XEP-0424 §7 "Business Rules": a retraction in a one-to-one conversation counts only when it comes from the bare
     * JID the original came from. Both are looked up in the same conversation, so the sender is the owner for both or
     * the other party for both exactly when their directions agree. In a room's archive every message is incoming from
     * the room, so there the sender is the XEP-0421 occupant id the room stamped on both (a nick can change hands).
     */
    public static boolean sameSender(ArchivedMessage original, ArchiveRecord retraction) {
        String occupant = occupantId(original.message());
        return original.direction() == retraction.direction()
                && (occupant == null || occupant.equals(occupantId(retraction.message())));
    }

    /**
     * A XEP-0425 moderation: a retraction with {@code <moderated/>} that the room itself said (from the room's bare JID,
     * into the room's own archive). Only the group chat service speaks as a room, so nobody else can moderate.
     */
    public static boolean moderation(ArchiveRecord record) {
        return record.with().equals(record.owner()) && record.message().child("retract", NAMESPACE)
                .flatMap(retract -> retract.child("moderated", MODERATE)).isPresent();
    }

    /**
     * XEP-0425 §"Tombstones": the original with its content replaced by {@code <retracted/>} carrying the moderation
     * (who moderated, the reason), its attributes, XEP-0359 ids and author's occupant id kept.
     */
    public static XmlElement moderatedTombstone(XmlElement original, XmlElement moderation, Instant stamp) {
        XmlElement retract = moderation.child("retract", NAMESPACE).orElseThrow();
        XmlElement.Builder retracted = XmlElement.builder("retracted", NAMESPACE)
                .attribute("stamp", DateTimeFormatter.ISO_INSTANT.format(stamp));
        retract.elements().forEach(retracted::child);
        List<XmlNode> children = new ArrayList<>();
        children.add(retracted.build());
        original.elements().filter(e -> SID_NAMESPACE.equals(e.namespace()) || OCCUPANT_ID.equals(e.namespace()))
                .forEach(children::add);
        return original.withChildren(children);
    }

    private static String occupantId(XmlElement message) {
        return message.child("occupant-id", OCCUPANT_ID).map(o -> o.attributeOrNull("id")).orElse(null);
    }

    /**
     * XEP-0424 §"Tombstones": the original's content replaced by {@code <retracted id stamp/>}, where {@code id}
     * names the retraction message (its origin id or id, as the retraction itself refers to the original) and
     * {@code stamp} is when it was archived; the stanza's attributes and its XEP-0359 ids stay so clients can match it.
     */
    public static XmlElement tombstone(XmlElement original, String retractionId, Instant stamp) {
        List<XmlNode> children = new ArrayList<>();
        children.add(XmlElement.builder("retracted", NAMESPACE).attribute("id", retractionId)
                .attribute("stamp", DateTimeFormatter.ISO_INSTANT.format(stamp)).build());
        original.elements().filter(e -> SID_NAMESPACE.equals(e.namespace())).forEach(children::add);
        return original.withChildren(children);
    }

    /** The sender's id for a message: its XEP-0359 {@code <origin-id/>}, else its {@code id} attribute, else null. */
    public static String clientId(XmlElement message) {
        return message.child("origin-id", SID_NAMESPACE).map(o -> o.attributeOrNull("id"))
                .filter(id -> !id.isEmpty()).orElse(message.attributeOrNull("id"));
    }
}
