package io.aviary.bus;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What travels on the bus: a stanza (already stamped with the sender's {@code from}) and a few
 * routing headers. Headers are strings so that every bus implementation can carry them as is.
 */
public record BusMessage(XmlElement stanza, Map<String, String> headers) {

    /** Full JID of the session a delivery is for (gateway topics). */
    public static final String TARGET = "target";
    /** Connection id of the target session, so a re-bound resource never gets its predecessor's mail. */
    public static final String CONNECTION = "connection";
    /**
     * Position of the delivery in its session's XEP-0198 resumption queue (decimal), present when the target session
     * is resumable; the gateway writes deliveries in position order.
     */
    public static final String POSITION = "position";
    /**
     * The bus's own id of the message as it was delivered, where the bus has one (Kafka's publication id): the same
     * when a record is delivered again. Set by the bus on delivery; what a handler derives from it (XEP-0359 archive
     * ids) then comes out the same the second time.
     */
    public static final String PUBLICATION = "publication";
    /** A control instruction instead of a stanza for the client (gateway topics). */
    public static final String CONTROL = "control";
    /** Control: end the target session with a {@code conflict} stream error (RFC 6120 §7.7.2.2). */
    public static final String CONTROL_CONFLICT = "conflict";
    /**
     * Control: the account was cancelled (XEP-0077 §3.2); end the target session with {@code not-authorized}. When the
     * message's stanza is an {@code iq} (the result of the cancellation, for the session that asked), it is written
     * first, in the same step, so the client always sees it before the stream error.
     */
    public static final String CONTROL_ACCOUNT_REMOVED = "account-removed";
    /**
     * Control: an administrator ended the session (XEP-0133 end-user-session, the admin API's kick); end the target
     * session with {@code policy-violation} (RFC 6120 §4.9.3.14, as ejabberd does for a kicked session) rather than
     * {@code conflict}, which tells a client that another connection took its resource and invites it to reconnect.
     * A resumable session ends too: it is not hibernated.
     */
    public static final String CONTROL_KICK = "kick";
    /**
     * On {@link Topics#ROUTE}: the stanza goes to each of these addresses (one per line) instead of its {@code to}, as
     * if it had been sent once to each: a room's broadcast to its occupants (XEP-0045 §7.4) in one bus record rather
     * than one per occupant. Line breaks cannot occur in a JID (RFC 7622 §3.2.1, §3.3.1: no control characters).
     */
    public static final String RECIPIENTS = "recipients";
    /**
     * On a gateway topic: one stanza for several sessions of that gateway, one line per session of
     * {@code target TAB connection [TAB position]} (the headers each would have had alone); each copy's {@code to} is
     * its target. The router batches a multicast's deliveries per gateway this way; the gateway takes the record apart
     * with {@link #unbatched()}.
     */
    public static final String BATCH = "batch";

    public BusMessage {
        Objects.requireNonNull(stanza, "stanza");
        headers = Map.copyOf(headers);
    }

    public static BusMessage of(XmlElement stanza) {
        return new BusMessage(stanza, Map.of());
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** One delivery of a {@link #BATCH}: the target session's full JID, connection and resumption position (or null). */
    public record Delivery(String target, String connection, String position) {
    }

    /** Deliveries of {@code stanza} (the {@code to} of each copy is set from its target) to sessions of one gateway. */
    public static BusMessage batch(XmlElement stanza, List<Delivery> deliveries) {
        StringBuilder lines = new StringBuilder();
        for (Delivery delivery : deliveries) {
            if (!lines.isEmpty()) {
                lines.append('\n');
            }
            lines.append(delivery.target()).append('\t').append(delivery.connection());
            if (delivery.position() != null) {
                lines.append('\t').append(delivery.position());
            }
        }
        return new BusMessage(stanza, Map.of(BATCH, lines.toString()));
    }

    /** The single deliveries a {@link #BATCH} stands for, each with its own headers; this message when it is none. */
    public List<BusMessage> unbatched() {
        String batch = headers.get(BATCH);
        if (batch == null) {
            return List.of(this);
        }
        List<BusMessage> deliveries = new ArrayList<>();
        for (String line : batch.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length < 2) {
                continue;
            }
            Map<String, String> single = new HashMap<>(headers);
            single.remove(BATCH);
            single.put(TARGET, fields[0]);
            single.put(CONNECTION, fields[1]);
            if (fields.length > 2) {
                single.put(POSITION, fields[2]);
            }
            deliveries.add(new BusMessage(stanza.withAttribute("to", fields[0]), single));
        }
        return deliveries;
    }
}
