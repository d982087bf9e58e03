package io.aviary.gateway.sm;

import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;

/** The XEP-0198 elements the server writes ({@code urn:xmpp:sm:3}); none of them is a stanza, none is counted. */
public final class SmElements {

    public static final String NAMESPACE = "urn:xmpp:sm:3";
    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private SmElements() {
    }

    /** The stream feature (XEP-0198 §2). */
    public static XmlElement feature() {
        return XmlElement.empty("sm", NAMESPACE);
    }

    /** XEP-0198 §3 and §5: {@code <enabled/>}, with the resumption id and time when resumable. */
    public static XmlElement enabled(String id, Duration max) {
        XmlElement.Builder enabled = XmlElement.builder("enabled", NAMESPACE);
        if (id != null) {
            enabled.attribute("id", id).attribute("resume", "true").attribute("max", Long.toString(max.toSeconds()));
        }
        return enabled.build();
    }

    /** XEP-0198 §6: {@code <failed/>} with a stanza error condition, and the server's {@code h} when known (§5). */
    public static XmlElement failed(StanzaErrorCondition condition, Long h) {
        XmlElement.Builder failed = XmlElement.builder("failed", NAMESPACE);
        if (h != null) {
            failed.attribute("h", Long.toString(h));
        }
        return failed.child(XmlElement.empty(condition.elementName(), STANZAS)).build();
    }

    public static XmlElement resumed(String previd, long h) {
        return XmlElement.builder("resumed", NAMESPACE).attribute("previd", previd).attribute("h", Long.toString(h)).build();
    }

    public static XmlElement ack(long h) {
        return XmlElement.builder("a", NAMESPACE).attribute("h", Long.toString(h)).build();
    }

    public static XmlElement request() {
        return XmlElement.empty("r", NAMESPACE);
    }

    /**
     * XEP-0198 §4: "If a stream management-aware entity receives an h value that is too high, it SHOULD generate an
     * undefined-condition stream error that includes a {@code <handled-count-too-high/>} element": this is that
     * element, {@code h} as received and {@code send-count} the stanzas actually sent.
     */
    public static XmlElement handledCountTooHigh(long h, long sent) {
        return XmlElement.builder("handled-count-too-high", NAMESPACE)
                .attribute("h", Long.toString(h)).attribute("send-count", Long.toString(sent)).build();
    }

    /** The number in attribute {@code name} ({@code h}, {@code max}), or -1 when absent or not a non-negative number. */
    static long counter(XmlElement element, String name) {
        String h = element.attributeOrNull(name);
        if (h == null || h.isEmpty() || h.length() > 19 || !h.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(h);
    }
}
