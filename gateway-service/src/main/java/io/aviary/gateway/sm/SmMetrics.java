package io.aviary.gateway.sm;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stream-management meters: {@code xmpp.sm.hibernated}, {@code xmpp.sm.resumed} (tag {@code gateway}: {@code same}
 * or {@code other}), {@code xmpp.sm.resume.failures} (tag {@code reason}) and the gauge {@code xmpp.sm.unacked}, the
 * stanzas written by this gateway and not yet acknowledged.
 */
public final class SmMetrics {

    private final MeterRegistry registry;
    private final AtomicLong unacked = new AtomicLong();

    public SmMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("xmpp.sm.unacked", unacked, AtomicLong::get)
                .description("Stanzas written to stream-management clients and not yet acknowledged").register(registry);
    }

    void hibernated() {
        registry.counter("xmpp.sm.hibernated").increment();
    }

    void resumed(boolean sameGateway) {
        registry.counter("xmpp.sm.resumed", "gateway", sameGateway ? "same" : "other").increment();
    }

    void resumeFailed(String reason) {
        registry.counter("xmpp.sm.resume.failures", "reason", reason).increment();
    }

    void unacked(long delta) {
        unacked.addAndGet(delta);
    }
}
