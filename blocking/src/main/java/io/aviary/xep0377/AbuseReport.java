package io.aviary.xep0377;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user's report of another JID's spam or abuse (XEP-0377), sent with the block of that JID, as the operators'
 * review queue keeps it.
 *
 * @param id         the report's id in the queue
 * @param received   when the server got it
 * @param reporter   the reporting account's bare JID
 * @param reported   the blocked JID the report is about (as the block item named it)
 * @param reason     {@code urn:xmpp:reporting:spam}, {@code urn:xmpp:reporting:abuse}, or another registered reason
 * @param text       what the reporter wrote (may be empty)
 * @param stanzaIds  the XEP-0359 ids of the reported messages in the reporter's archive
 * @param resolution empty while the report waits for review; then what the operator did
 */
public record AbuseReport(String id, Instant received, String reporter, String reported, String reason, String text,
                          List<String> stanzaIds, String resolution) {

    public static final String NAMESPACE = "urn:xmpp:reporting:1";

    public AbuseReport {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(reason, "reason");
        text = text == null ? "" : text;
        stanzaIds = stanzaIds == null ? List.of() : List.copyOf(stanzaIds);
        resolution = resolution == null ? "" : resolution;
    }

    public boolean open() {
        return resolution.isEmpty();
    }

    public AbuseReport resolved(String what) {
        return new AbuseReport(id, received, reporter, reported, reason, text, stanzaIds, what);
    }
}
