package io.aviary.standalone.e2e;

/**
 * Jingle signalling as a call client sends it (XEP-0166 with XEP-0167 RTP, XEP-0176 ICE-UDP candidates, XEP-0320 DTLS
 * fingerprints; XEP-0353 message initiation), written as the server writes XML, so that what arrives can be compared
 * with what was sent byte for byte.
 */
final class Jingle {

    private static final String JINGLE = "urn:xmpp:jingle:1";
    private static final String RTP = "urn:xmpp:jingle:apps:rtp:1";
    private static final String ICE = "urn:xmpp:jingle:transports:ice-udp:1";
    private static final String DTLS = "urn:xmpp:jingle:apps:dtls:0";
    private static final String MESSAGE_INITIATION = "urn:xmpp:jingle-message:0";
    private static final String FINGERPRINT = "02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:"
            + "A2:7D:F9:B0:7F:46:19:B2";

    private Jingle() {
    }

    static String sessionInitiate(String sid, String initiator) {
        return "<jingle xmlns=\"" + JINGLE + "\" action=\"session-initiate\" initiator=\"" + initiator + "\" sid=\""
                + sid + "\">" + content("initiator", "actpass",
                candidate("el0747fg11", "10.0.1.1", "8998", "2130706431", "host", "")
                        + candidate("y3s2b30v3r", "192.0.2.3", "45664", "1694498815", "srflx",
                        " rel-addr=\"10.0.1.1\" rel-port=\"8998\"")) + "</jingle>";
    }

    static String sessionAccept(String sid, String responder) {
        return "<jingle xmlns=\"" + JINGLE + "\" action=\"session-accept\" responder=\"" + responder + "\" sid=\"" + sid
                + "\">" + content("initiator", "active", candidate("hy2ba3", "10.0.1.2", "9000", "2130706431", "host", ""))
                + "</jingle>";
    }

    /** A trickled relay candidate (XEP-0176 §5: transport-info). */
    static String transportInfo(String sid) {
        return "<jingle xmlns=\"" + JINGLE + "\" action=\"transport-info\" sid=\"" + sid + "\">"
                + "<content creator=\"initiator\" name=\"voice\"><transport xmlns=\"" + ICE
                + "\" pwd=\"asd88fgpdd777uzjYhagZg\" ufrag=\"8hhy\">"
                + candidate("rl9ca7", "203.0.113.7", "50123", "16777215", "relay",
                " rel-addr=\"192.0.2.3\" rel-port=\"45664\"") + "</transport></content></jingle>";
    }

    static String sessionTerminate(String sid) {
        return "<jingle xmlns=\"" + JINGLE + "\" action=\"session-terminate\" sid=\"" + sid + "\"><reason><success/>"
                + "<text>Bye &amp; see you</text></reason></jingle>";
    }

    static String propose(String sid) {
        return "<propose xmlns=\"" + MESSAGE_INITIATION + "\" id=\"" + sid + "\"><description xmlns=\"" + RTP
                + "\" media=\"audio\"/></propose>";
    }

    static String proceed(String sid) {
        return "<proceed xmlns=\"" + MESSAGE_INITIATION + "\" id=\"" + sid + "\"/>";
    }

    static String accept(String sid) {
        return "<accept xmlns=\"" + MESSAGE_INITIATION + "\" id=\"" + sid + "\"/>";
    }

    /** XEP-0353 §3: chat messages with a XEP-0334 store hint. */
    static String message(String to, String id, String payload) {
        return "<message type=\"chat\" id=\"" + id + "\" to=\"" + to + "\">" + payload
                + "<store xmlns=\"urn:xmpp:hints\"/></message>";
    }

    /** The first {@code <name ...>} element in {@code xml}, as written. */
    static String element(String xml, String name) {
        int start = xml.indexOf("<" + name + " ");
        if (start < 0) {
            throw new AssertionError("no <" + name + "/> in " + xml);
        }
        int startTagEnd = xml.indexOf('>', start);
        if (xml.charAt(startTagEnd - 1) == '/') {
            return xml.substring(start, startTagEnd + 1);
        }
        String end = "</" + name + ">";
        return xml.substring(start, xml.indexOf(end, startTagEnd) + end.length());
    }

    private static String content(String creator, String setup, String candidates) {
        return "<content creator=\"" + creator + "\" name=\"voice\"><description xmlns=\"" + RTP + "\" media=\"audio\">"
                + "<payload-type id=\"111\" name=\"opus\" clockrate=\"48000\" channels=\"2\"/>"
                + "<payload-type id=\"0\" name=\"PCMU\"/><rtcp-mux/></description>"
                + "<transport xmlns=\"" + ICE + "\" pwd=\"asd88fgpdd777uzjYhagZg\" ufrag=\"8hhy\">"
                + "<fingerprint xmlns=\"" + DTLS + "\" hash=\"sha-256\" setup=\"" + setup + "\">" + FINGERPRINT
                + "</fingerprint>" + candidates + "</transport></content>";
    }

    private static String candidate(String id, String ip, String port, String priority, String type, String related) {
        return "<candidate component=\"1\" foundation=\"1\" generation=\"0\" id=\"" + id + "\" ip=\"" + ip
                + "\" network=\"1\" port=\"" + port + "\" priority=\"" + priority + "\" protocol=\"udp\"" + related
                + " type=\"" + type + "\"/>";
    }
}
