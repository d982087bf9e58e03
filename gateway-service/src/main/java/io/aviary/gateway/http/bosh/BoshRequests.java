package io.aviary.gateway.http.bosh;

import io.aviary.xmpp.xml.XmlElement;

/** Reading the numeric attributes of a request {@code <body/>} (XEP-0124 §7.1, §14). */
final class BoshRequests {

    /** XEP-0124 §14.1: a rid is a positive integer below 2^53. */
    private static final long MAX_RID = (1L << 53) - 1;

    private BoshRequests() {
    }

    /** The request id; {@link IllegalArgumentException} when it is missing or malformed. */
    static long rid(XmlElement body) {
        String value = body.attributeOrNull("rid");
        if (value == null) {
            throw new IllegalArgumentException("no rid");
        }
        long rid = nonNegative(value);
        if (rid == 0 || rid > MAX_RID) {
            throw new IllegalArgumentException("rid out of range");
        }
        return rid;
    }

    /** A non-negative decimal integer; {@link IllegalArgumentException} otherwise. */
    static long nonNegative(String value) {
        if (value.isEmpty() || value.length() > 16 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a non-negative integer: " + value);
        }
        return Long.parseLong(value);
    }
}
