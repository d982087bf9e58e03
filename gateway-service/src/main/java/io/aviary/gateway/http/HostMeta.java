package io.aviary.gateway.http;

import io.aviary.xmpp.xml.XmlWriter;

/**
 * XEP-0156 §3 connection discovery: the host-meta document in its XRD (RFC 6415) and JSON forms,
 * listing the BOSH and WebSocket endpoints.
 */
record HostMeta(String boshUrl, String webSocketUrl) {

    static final String BOSH_REL = "urn:xmpp:alt-connections:xbosh";
    static final String WEBSOCKET_REL = "urn:xmpp:alt-connections:websocket";

    /** The endpoints under {@code base}, an http(s) URL without a trailing slash. */
    static HostMeta under(String base) {
        String ws = base.startsWith("https:") ? "wss:" + base.substring(6) : "ws:" + base.substring(5);
        return new HostMeta(base + HttpListener.BOSH_PATH, ws + HttpListener.WEBSOCKET_PATH);
    }

    String xrd() {
        return "<?xml version='1.0' encoding='utf-8'?>\n"
                + "<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>\n"
                + "  <Link rel='" + BOSH_REL + "' href='" + XmlWriter.escape(boshUrl) + "'/>\n"
                + "  <Link rel='" + WEBSOCKET_REL + "' href='" + XmlWriter.escape(webSocketUrl) + "'/>\n"
                + "</XRD>\n";
    }

    String json() {
        return "{\"links\":[{\"rel\":\"" + BOSH_REL + "\",\"href\":\"" + jsonEscape(boshUrl) + "\"},"
                + "{\"rel\":\"" + WEBSOCKET_REL + "\",\"href\":\"" + jsonEscape(webSocketUrl) + "\"}]}";
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
