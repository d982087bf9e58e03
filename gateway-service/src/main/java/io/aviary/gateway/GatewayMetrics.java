package io.aviary.gateway;

import io.aviary.gateway.csi.CsiFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The gateway's meters: open connections and sessions, stanzas by kind and direction, failures. */
public final class GatewayMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final Counter authenticationFailures;
    private final Counter parserReleases;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("xmpp.connections", connections, AtomicInteger::get)
                .description("Open client connections").register(registry);
        Gauge.builder("xmpp.sessions", sessions, AtomicInteger::get)
                .description("Client sessions with a bound resource").register(registry);
        authenticationFailures = Counter.builder("xmpp.auth.failures")
                .description("Failed SASL authentications").register(registry);
        parserReleases = Counter.builder("xmpp.stream.parser.releases")
                .description("Quiet TCP streams whose XML parser gave its buffers back until their next byte")
                .register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void sessionBound() {
        sessions.incrementAndGet();
    }

    public void sessionUnbound() {
        sessions.decrementAndGet();
    }

    public void stanzaIn(String kind) {
        registry.counter("xmpp.stanzas", "direction", "in", "kind", kind).increment();
    }

    public void stanzaOut(String kind) {
        registry.counter("xmpp.stanzas", "direction", "out", "kind", kind).increment();
    }

    public void parserReleased() {
        parserReleases.increment();
    }

    public void authenticationFailed() {
        authenticationFailures.increment();
    }

    public void streamError(String condition) {
        registry.counter("xmpp.stream.errors", "condition", condition).increment();
    }

    /** XEP-0352: stanzas held for inactive clients and then written, or dropped as superseded presence. */
    public CsiFilter.Meter csiMeter() {
        return new CsiFilter.Meter() {
            @Override
            public void flushed(int stanzas) {
                registry.counter("xmpp.csi.held", "outcome", "flushed").increment(stanzas);
            }

            @Override
            public void dropped() {
                registry.counter("xmpp.csi.held", "outcome", "dropped").increment();
            }
        };
    }

    public int openConnections() {
        return connections.get();
    }
}
