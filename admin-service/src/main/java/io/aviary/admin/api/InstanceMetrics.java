package io.aviary.admin.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The figures an operator watches, read from this process's meters: the standalone app has them all; in a cluster each
 * tier reports its own (Prometheus and the Grafana dashboard add them up), so the admin service shows what it holds.
 * Counters are totals: a viewer that polls turns them into rates. A figure this process does not measure is null.
 */
public final class InstanceMetrics {

    /**
     * @param connections           open client connections ({@code xmpp.connections})
     * @param sessions              client sessions with a bound resource ({@code xmpp.sessions})
     * @param authenticationFailures failed SASL authentications so far ({@code xmpp.auth.failures})
     * @param stanzasRouted         stanzas routed so far ({@code xmpp.routing} count)
     * @param routingMeanMillis     mean time to route one stanza ({@code xmpp.routing})
     * @param routingMaxMillis      the longest recently ({@code xmpp.routing} max, a decaying window)
     * @param heapUsedBytes         JVM heap in use ({@code jvm.memory.used}, area heap)
     * @param processCpu            the process's share of the machine's CPU, 0 to 1 ({@code process.cpu.usage})
     * @param at                    when the figures were read
     */
    public record Snapshot(Double connections, Double sessions, Double authenticationFailures, Double stanzasRouted,
                           Double routingMeanMillis, Double routingMaxMillis, Double heapUsedBytes, Double processCpu,
                           Instant at) {
    }

    private final MeterRegistry meters;

    public InstanceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public Snapshot snapshot() {
        Collection<Timer> routing = meters.find("xmpp.routing").timers();
        Collection<Counter> failures = meters.find("xmpp.auth.failures").counters();
        return new Snapshot(sum(meters.find("xmpp.connections").gauges(), Gauge::value),
                sum(meters.find("xmpp.sessions").gauges(), Gauge::value),
                sum(failures, Counter::count),
                sum(routing, Timer::count),
                finite(routing.stream().mapToDouble(t -> t.mean(TimeUnit.MILLISECONDS)).max().orElse(0), !routing.isEmpty()),
                finite(routing.stream().mapToDouble(t -> t.max(TimeUnit.MILLISECONDS)).max().orElse(0), !routing.isEmpty()),
                sum(meters.find("jvm.memory.used").tag("area", "heap").gauges(), Gauge::value),
                sum(meters.find("process.cpu.usage").gauges(), Gauge::value), Instant.now());
    }

    /** The sum of one figure over the meters of a name (one per tag set), or null when there is none. */
    private static <M> Double sum(Collection<M> found, ToDoubleFunction<M> figure) {
        return finite(found.stream().mapToDouble(figure).sum(), !found.isEmpty());
    }

    /** JSON has no NaN: a figure not measured, or not a number yet, is null. */
    private static Double finite(double value, boolean measured) {
        return measured && Double.isFinite(value) ? value : null;
    }
}
