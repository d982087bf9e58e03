package io.aviary.xmpp.sasl;

import java.util.Locale;
import java.util.Optional;

/** The SASL failure conditions of RFC 6120 §6.5, sent as children of {@code <failure/>}. */
public enum SaslFailureCondition {
    /** §6.5.1: the initiating entity sent {@code <abort/>}. */
    ABORTED,
    /** §6.5.2: the account is (temporarily) disabled. */
    ACCOUNT_DISABLED,
    /** §6.5.3: the credentials have expired. */
    CREDENTIALS_EXPIRED,
    /** §6.5.4: the mechanism may only be used over a protected stream. */
    ENCRYPTION_REQUIRED,
    /** §6.5.5: the base64 payload could not be decoded. */
    INCORRECT_ENCODING,
    /** §6.5.6: the authzid is malformed or the user may not act for it. */
    INVALID_AUTHZID,
    /** §6.5.7: the mechanism is not supported or not offered. */
    INVALID_MECHANISM,
    /** §6.5.8: the request is syntactically wrong. */
    MALFORMED_REQUEST,
    /** §6.5.9: the mechanism is weaker than the server policy allows. */
    MECHANISM_TOO_WEAK,
    /** §6.5.10: wrong credentials, or a generic failure the server does not want to explain. */
    NOT_AUTHORIZED,
    /** §6.5.11: a temporary error inside the server; the client may retry later. */
    TEMPORARY_AUTH_FAILURE;

    public static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-sasl";

    /** The local name of the condition element, e.g. {@code not-authorized}. */
    public String elementName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The condition whose {@link #elementName()} is {@code elementName}, if any. */
    public static Optional<SaslFailureCondition> fromElementName(String elementName) {
        for (SaslFailureCondition condition : values()) {
            if (condition.elementName().equals(elementName)) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }
}
