package io.aviary.xep0357;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Push meters: {@code xmpp.push.notifications} (tag {@code result}: {@code sent} when published to an app server,
 * {@code failed} when one answered with an error) and {@code xmpp.push.disabled}, registrations removed because their
 * app server rejected a notification.
 */
final class PushMetrics {

    private final MeterRegistry registry;

    PushMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void sent() {
        registry.counter("xmpp.push.notifications", "result", "sent").increment();
    }

    void failed() {
        registry.counter("xmpp.push.notifications", "result", "failed").increment();
    }

    void disabled() {
        registry.counter("xmpp.push.disabled").increment();
    }
}
