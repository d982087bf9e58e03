package io.aviary.xmpp.sasl;

import java.util.Objects;

/**
 * An authentication exchange ended in failure. The caller sends {@code <failure/>} with
 * {@link #condition()}; the message is for logs only and must not reach the client, since it may
 * say more than the condition (e.g. "unknown user") and RFC 6120 §6.4.5 lets the server withhold that.
 */
public final class SaslFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final SaslFailureCondition condition;

    public SaslFailure(SaslFailureCondition condition, String message) {
        super(Objects.requireNonNull(condition, "condition").elementName() + (message == null ? "" : ": " + message));
        this.condition = condition;
    }

    public SaslFailure(SaslFailureCondition condition, String message, Throwable cause) {
        this(condition, message);
        initCause(cause);
    }

    public SaslFailureCondition condition() {
        return condition;
    }
}
