package io.aviary.xep0377;

import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the XEP-0377 {@code <report/>} of a block item into the review queue. A report changes nothing about the
 * block ("Servers that receive a blocking command with a report MUST block the JID or return an error just as they
 * would if no report were present"), so one without a reason is left out, not refused. What a reporter can put in the
 * queue is bounded: the text and ids are cut to {@link #MAX_TEXT} characters and {@link #MAX_STANZA_IDS} ids.
 */
public final class AbuseReporting {

    static final int MAX_TEXT = 4096;
    static final int MAX_STANZA_IDS = 50;
    private static final int MAX_ID = 255;
    private static final String SID = "urn:xmpp:sid:0";
    private static final Logger log = LoggerFactory.getLogger(AbuseReporting.class);

    private final AbuseReports reports;
    private final Clock clock;

    public AbuseReporting(AbuseReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    /** Queues the report {@code item} carries, if any, from {@code reporter} about {@code reported}. */
    public void reported(String reporter, String reported, XmlElement item) {
        Optional<XmlElement> report = item.child("report", AbuseReport.NAMESPACE);
        if (report.isEmpty()) {
            return;
        }
        String reason = report.get().attributeOrNull("reason");
        if (reason == null || reason.isBlank() || reason.length() > MAX_ID) {
            log.debug("a report from {} without a usable reason: left out, the block stands", reporter);
            return;
        }
        String text = report.get().elements().filter(e -> e.is("text", AbuseReport.NAMESPACE)).map(XmlElement::text)
                .map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
        reports.add(new AbuseReport(UUID.randomUUID().toString(), clock.instant(), reporter, reported, reason,
                text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text,
                report.get().elements().filter(e -> e.is("stanza-id", SID)).map(e -> e.attributeOrNull("id"))
                        .filter(id -> id != null && !id.isEmpty() && id.length() <= MAX_ID && id.indexOf('\n') < 0)
                        .limit(MAX_STANZA_IDS).toList(),
                ""));
    }
}
