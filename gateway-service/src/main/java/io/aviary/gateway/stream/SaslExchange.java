package io.aviary.gateway.stream;

import io.aviary.xmpp.sasl.SaslFailure;
import io.aviary.xmpp.sasl.SaslFailureCondition;
import io.aviary.xmpp.sasl.SaslServerMechanism;
import io.aviary.xmpp.sasl.SaslStep;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Base64;

/**
 * The XMPP framing of SASL (RFC 6120 §6.4) around one mechanism: base64 in {@code <auth/>} and
 * {@code <response/>}, and the {@code <challenge/>}, {@code <success/>} or {@code <failure/>} it answers.
 * A failure is reported to the exchange's {@link LoginAttempt} as soon as it is known.
 */
final class SaslExchange {

    /** The server's answer and, on success, who authenticated. */
    record Outcome(XmlElement reply, String username, SaslFailureCondition failure) {
        boolean succeeded() {
            return username != null;
        }

        boolean failed() {
            return failure != null;
        }
    }

    private final SaslServerMechanism mechanism;
    private final LoginAttempt attempt;

    SaslExchange(SaslServerMechanism mechanism, LoginAttempt attempt) {
        this.mechanism = mechanism;
        this.attempt = attempt;
    }

    Outcome step(XmlElement authOrResponse) {
        Outcome outcome = evaluate(authOrResponse);
        if (outcome.failed()) {
            attempt.failed(outcome.failure());
        }
        return outcome;
    }

    private Outcome evaluate(XmlElement authOrResponse) {
        byte[] payload;
        try {
            payload = decode(authOrResponse.text().trim(), authOrResponse.name().equals("auth"));
        } catch (IllegalArgumentException e) {
            return failure(SaslFailureCondition.INCORRECT_ENCODING);
        }
        try {
            SaslStep step = mechanism.evaluate(payload);
            if (!step.complete()) {
                return new Outcome(withPayload("challenge", step.data()), null, null);
            }
            return new Outcome(withPayload("success", step.data()), mechanism.authenticatedUsername(), null);
        } catch (SaslFailure e) {
            return failure(e.condition());
        }
    }

    static Outcome failure(SaslFailureCondition condition) {
        XmlElement reply = XmlElement.builder("failure", Namespaces.SASL)
                .child(XmlElement.empty(condition.elementName(), Namespaces.SASL))
                .build();
        return new Outcome(reply, null, condition);
    }

    /**
     * RFC 6120 §6.4.2: an empty element is "no data" on {@code <auth/>}; "=" is an empty payload.
     * A response always carries a payload, so empty text there means empty data.
     */
    private static byte[] decode(String text, boolean initial) {
        if (text.isEmpty()) {
            return initial ? null : new byte[0];
        }
        if (text.equals("=")) {
            return new byte[0];
        }
        return Base64.getDecoder().decode(text);
    }

    private static XmlElement withPayload(String name, byte[] data) {
        XmlElement.Builder element = XmlElement.builder(name, Namespaces.SASL);
        if (data != null) {
            element.text(data.length == 0 ? "=" : Base64.getEncoder().encodeToString(data));
        }
        return element.build();
    }
}
