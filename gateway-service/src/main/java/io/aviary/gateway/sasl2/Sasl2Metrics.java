package io.aviary.gateway.sasl2;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters of one-round-trip login: {@code xmpp.sasl2.logins} by outcome (success, failure) and credential (password,
 * fast), and {@code xmpp.fast.tokens.issued}.
 */
public final class Sasl2Metrics {

    private final MeterRegistry registry;

    public Sasl2Metrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void login(boolean fast, boolean succeeded) {
        registry.counter("xmpp.sasl2.logins", "credential", fast ? "fast" : "password",
                "outcome", succeeded ? "success" : "failure").increment();
    }

    void tokenIssued() {
        registry.counter("xmpp.fast.tokens.issued").increment();
    }
}
