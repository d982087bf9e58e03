package io.aviary.gateway.sasl2;

import io.aviary.gateway.sm.SmElements;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Base64;

/**
 * A client's XEP-0388 {@code <authenticate/>}, with what XEP-0386 and XEP-0484 add to it:
 * <pre>
 * &lt;authenticate xmlns='urn:xmpp:sasl:2' mechanism='SCRAM-SHA-256'>
 *   &lt;initial-response>base64&lt;/initial-response>
 *   &lt;user-agent id='uuid'>&lt;software/>&lt;device/>&lt;/user-agent>
 *   &lt;bind xmlns='urn:xmpp:bind:0'>&lt;tag/>…inline features…&lt;/bind>
 *   &lt;request-token xmlns='urn:xmpp:fast:0' mechanism='HT-SHA-256-NONE'/>
 *   &lt;fast xmlns='urn:xmpp:fast:0' count='1' invalidate='false'/>
 *   &lt;resume xmlns='urn:xmpp:sm:3' previd='…' h='…'/>
 * &lt;/authenticate>
 * </pre>
 *
 * @param initialResponse the decoded initial response, null when the element is absent (XEP-0388 §2.2)
 * @param userAgentId     the stable id of the client installation, or null
 * @param bind            the Bind2 request, or null
 * @param requestToken    the HT mechanism a FAST token is asked for, or null
 * @param fastCount       the FAST replay counter, -1 when none was sent
 * @param fastInvalidate  whether the FAST token used is to be invalidated
 * @param resume          an inline XEP-0198 {@code <resume xmlns='urn:xmpp:sm:3'/>}, or null
 */
record Authenticate(String mechanism, byte[] initialResponse, String userAgentId, XmlElement bind, String requestToken,
                    long fastCount, boolean fastInvalidate, XmlElement resume) {

    static final String NAMESPACE = "urn:xmpp:sasl:2";
    static final String BIND = "urn:xmpp:bind:0";
    static final String FAST = "urn:xmpp:fast:0";

    /** @throws IllegalArgumentException when the initial response or a counter is malformed */
    static Authenticate parse(XmlElement authenticate) {
        byte[] initial = authenticate.child("initial-response", NAMESPACE).map(e -> decode(e.text())).orElse(null);
        String userAgentId = authenticate.child("user-agent", NAMESPACE)
                .map(e -> e.attributeOrNull("id")).filter(id -> !id.isBlank()).orElse(null);
        XmlElement fast = authenticate.child("fast", FAST).orElse(null);
        long count = -1;
        if (fast != null && fast.attributeOrNull("count") != null) {
            count = Long.parseLong(fast.attributeOrNull("count"));
            if (count < 0) {
                throw new IllegalArgumentException("negative count");
            }
        }
        boolean invalidate = fast != null && isTrue(fast.attributeOrNull("invalidate"));
        return new Authenticate(authenticate.attributeOrNull("mechanism"), initial, userAgentId,
                authenticate.child("bind", BIND).orElse(null),
                authenticate.child("request-token", FAST).map(e -> e.attributeOrNull("mechanism")).orElse(null),
                count, invalidate, authenticate.child("resume", SmElements.NAMESPACE).orElse(null));
    }

    /** XEP-0388 §2.2: base64 without line breaks, though clients' pretty-printers may add whitespace. */
    static byte[] decode(String text) {
        return Base64.getDecoder().decode(text.replaceAll("\\s", ""));
    }

    private static boolean isTrue(String value) {
        return "true".equals(value) || "1".equals(value);
    }
}
