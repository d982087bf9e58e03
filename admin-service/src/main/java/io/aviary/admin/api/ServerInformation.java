package io.aviary.admin.api;

import io.aviary.admin.AdminOperations;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Declaration;
import io.aviary.capability.Specification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the admin API tells about the server itself: the cluster (gateways with their sessions, the health of what
 * this process depends on, every consumer group's lag on the bus), the capabilities the cluster runs with the plugins
 * that brought them, and this process's configuration and figures.
 */
public final class ServerInformation {

    /** A capability as the API shows it; {@code plugin} names the jar it came from when a plugin brought it here. */
    public record CapabilityView(String name, String summary, String topic, List<Specification> specifications,
                                 String plugin) {
    }

    /** A gateway instance and the sessions bound through it. */
    public record GatewayView(String id, int sessions) {
    }

    /**
     * @param health           the overall status and each component's (database, Redis, Kafka, ...), or empty when this
     *                         process has no health endpoint
     * @param consumerLag      each consumer group's lag per topic; empty on the in-process bus
     * @param consumerLagError why the lag could not be read, or null
     */
    public record ClusterView(Map<String, String> health, List<GatewayView> gateways,
                              List<StanzaBus.ConsumerLag> consumerLag, String consumerLagError) {
    }

    private static final Duration LAG_TIMEOUT = Duration.ofSeconds(5);

    private final AdminOperations operations;
    private final StanzaBus bus;
    private final Supplier<List<Declaration>> catalogue;
    private final Map<String, String> pluginOfCapability;
    private final Supplier<Map<String, String>> health;
    private final MaskedConfiguration configuration;
    private final InstanceMetrics metrics;

    /**
     * @param catalogue          the capabilities the cluster runs (its catalogue's declarations)
     * @param pluginOfCapability the jar file name of each capability a plugin brought to this process
     * @param health             the overall status under {@code status} and each component's under its name
     */
    public ServerInformation(AdminOperations operations, StanzaBus bus, Supplier<List<Declaration>> catalogue,
                             Map<String, String> pluginOfCapability, Supplier<Map<String, String>> health,
                             MaskedConfiguration configuration, InstanceMetrics metrics) {
        this.operations = operations;
        this.bus = bus;
        this.catalogue = catalogue;
        this.pluginOfCapability = Map.copyOf(pluginOfCapability);
        this.health = health;
        this.configuration = configuration;
        this.metrics = metrics;
    }

    public ClusterView cluster() {
        List<GatewayView> gateways = operations.gateways().stream()
                .map(id -> new GatewayView(id, operations.sessionsOfGateway(id).size())).toList();
        List<StanzaBus.ConsumerLag> lag = List.of();
        String lagError = null;
        try {
            lag = bus.consumerLag(LAG_TIMEOUT);
        } catch (IllegalStateException e) {
            lagError = e.getMessage();
        }
        return new ClusterView(health.get(), gateways, lag, lagError);
    }

    public List<CapabilityView> capabilities() {
        return catalogue.get().stream().map(d -> new CapabilityView(d.name(), d.summary(), d.topic(),
                d.specifications(), pluginOfCapability.get(d.name()))).toList();
    }

    public Map<String, String> configuration() {
        return new LinkedHashMap<>(configuration.properties());
    }

    public InstanceMetrics.Snapshot metrics() {
        return metrics.snapshot();
    }
}
