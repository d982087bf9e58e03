package io.aviary.gateway.http.bosh;

import io.aviary.xmpp.xml.XmlWriter;

/** An HTTP response to a BOSH request: a status (200 unless a legacy client gets an XEP-0124 §19 code) and a body. */
record BoshResponse(int status, String body) {

    static final String NAMESPACE = "http://jabber.org/protocol/httpbind";
    static final String XBOSH = "urn:xmpp:xbosh";

    static BoshResponse ok(String body) {
        return new BoshResponse(200, body);
    }

    /**
     * A terminal binding condition (XEP-0124 §17.2); for a legacy client (no 'ver' in its session
     * creation request) the deprecated HTTP code of §17.1 for the conditions that have one.
     */
    static BoshResponse terminate(BoshCondition condition, boolean legacy) {
        String body = "<body type='terminate' condition='" + condition.value() + "' xmlns='" + NAMESPACE + "'/>";
        return new BoshResponse(legacy ? condition.legacyStatus() : 200, body);
    }

    /** A 'body' start tag with the given extra attributes (already escaped, each with a leading space). */
    static String open(String attributes) {
        return "<body xmlns='" + NAMESPACE + "' xmlns:stream='http://etherx.jabber.org/streams'" + attributes + ">";
    }

    static String attribute(String name, Object value) {
        return " " + name + "='" + XmlWriter.escape(String.valueOf(value)) + "'";
    }
}
