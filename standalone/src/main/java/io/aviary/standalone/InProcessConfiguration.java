package io.aviary.standalone;

import io.aviary.bus.HandlerRetries;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.kafka.TransientStoreFailure;
import io.aviary.session.resumption.HibernationReaperConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The standalone wiring: the in-process bus (the registry's in-process default comes from session-service), the
 * reaper of expired stream-management sessions, and the refusal of a cluster's bus or registry.
 */
@Configuration(proxyBeanMethods = false)
@Import(HibernationReaperConfiguration.class)
@EnableConfigurationProperties(InProcessConfiguration.BusProperties.class)
public class InProcessConfiguration {

    /**
     * {@code aviary.bus.*}.
     *
     * @param lanes      ordered delivery lanes of the in-process bus; one key always uses the same lane (default 8)
     * @param maxBacklog messages published and not yet handled (about 1.6 KB of heap each in the chat benchmark) beyond
     *                   which the gateways stop reading from clients until half of them are handled (default 10,000,
     *                   about 16 MB: under overload with the archive on, 50,000 queued messages cost the collector more
     *                   than they buffered, docs/benchmarks.md; 0: no bound, and a server offered more than it can
     *                   handle fills its heap)
     * @param stopDrain  how long a stopping server waits for the bus to handle what the stop published (the ended
     *                   sessions' presences) before its stores close (default 20 s)
     * @param handlerRetries how many times a message is handled again when its handler failed on a store that may
     *                   come back (a database's lock or query time-out, a lost connection), the messages behind it in
     *                   its lane waiting, before it is logged and left (default 5, at most 10; as the Kafka bus's
     *                   {@code aviary.bus.kafka.handler-retries})
     * @param handlerRetryBackoff the wait before the first of those, doubled before each next one (default 200 ms)
     */
    @ConfigurationProperties(prefix = "aviary.bus")
    public record BusProperties(@DefaultValue("8") int lanes, @DefaultValue("10000") int maxBacklog,
                                @DefaultValue("20s") Duration stopDrain, @DefaultValue("5") int handlerRetries,
                                @DefaultValue("200ms") Duration handlerRetryBackoff) {
    }

    @Bean
    static ClusterSettingsRefused clusterSettingsRefused() {
        return new ClusterSettingsRefused();
    }

    @Bean(destroyMethod = "close")
    public InProcessBus inProcessBus(BusProperties properties) {
        return new InProcessBus(properties.lanes(), properties.maxBacklog(), new HandlerRetries(
                properties.handlerRetries(), properties.handlerRetryBackoff(), TransientStoreFailure::is));
    }

    @Bean
    BusDrainOnStop busDrainOnStop(InProcessBus bus, BusProperties properties) {
        return new BusDrainOnStop(bus, properties.stopDrain());
    }

    /** {@code xmpp.bus.backlog} (messages not yet handled) and {@code xmpp.bus.congestions} (times it hit its bound). */
    @Bean
    public MeterBinder inProcessBusMetrics(InProcessBus bus) {
        return registry -> {
            Gauge.builder("xmpp.bus.backlog", bus, InProcessBus::backlog)
                    .description("messages published on the in-process bus and not yet handled").register(registry);
            FunctionCounter.builder("xmpp.bus.congestions", bus, InProcessBus::congestions)
                    .description("times the in-process bus's backlog reached aviary.bus.max-backlog").register(registry);
        };
    }
}
