package io.aviary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml: accepted by Compose itself, and shaped as the cluster contract says (every
 * service present, gateways on distinct host ports, health-gated start, time for gateways to drain).
 */
class ComposeFileTest {

    private static final Path COMPOSE_FILE = Repository.root().resolve("docker-compose.yml");

    private static final List<String> INFRASTRUCTURE = List.of("kafka", "redis", "postgres");
    /** Compose service name and image name of every Aviary process. */
    private static final Map<String, String> AVIARY_SERVICES = Map.ofEntries(Map.entry("gateway-1", "gateway"),
            Map.entry("gateway-2", "gateway"), Map.entry("router", "router"), Map.entry("session", "session"),
            Map.entry("roster", "roster"), Map.entry("archive", "archive"), Map.entry("upload", "upload"),
            Map.entry("muc", "muc"), Map.entry("pubsub", "pubsub"), Map.entry("s2s", "s2s"), Map.entry("admin", "admin"));
    private static final Map<String, List<String>> PUBLISHED_PORTS = Map.of(
            "gateway-1", List.of("5222:5222", "5223:5223", "5280:5280"),
            "gateway-2", List.of("6222:5222", "6223:5223", "6280:5280"));
    /**
     * The other services reached from outside: the upload service's HTTPS upload (XEP-0363) and SOCKS5 proxy
     * (XEP-0065), the federation service's server-to-server ports, the admin service's API and console.
     */
    private static final Map<String, List<String>> SERVICE_PORTS = Map.of("upload", List.of("5281:5281", "7777:7777"),
            "s2s", List.of("5269:5269", "5270:5270"), "admin", List.of("9090:9090"));

    private final JsonNode services = new ObjectMapper().valueToTree(YamlDocuments.single(COMPOSE_FILE)).path("services");

    @Test
    void composeAcceptsTheFile() {
        Optional<CommandLineTool> compose = CommandLineTool.compose();
        assumeTrue(compose.isPresent(),
                "docker-compose is not on PATH: Compose's own check skipped (apt-get install docker-compose)");

        CommandLineTool.Result config = compose.get().run("-f", COMPOSE_FILE.toString(), "config", "-q");

        assertThat(config.succeeded()).as("docker-compose config -q: %s", config.describe()).isTrue();
    }

    @Test
    void everyServiceOfTheClusterIsThere() {
        List<String> expected = new ArrayList<>(INFRASTRUCTURE);
        expected.addAll(AVIARY_SERVICES.keySet());

        assertThat(names(services)).containsExactlyInAnyOrderElementsOf(expected);
        AVIARY_SERVICES.forEach((service, image) -> assertThat(services.path(service).path("image").asText())
                .as("image of %s", service)
                .startsWith("aviary/" + image + ":"));
    }

    @Test
    void gatewaysPublishTheClientPortsOnDistinctHostPorts() {
        PUBLISHED_PORTS.forEach((gateway, ports) -> assertThat(texts(services.path(gateway).path("ports")))
                .as("ports of %s", gateway)
                .containsAll(ports));
        assertThat(services.path("gateway-1").path("environment").path("AVIARY_GATEWAY_ID").asText())
                .isNotBlank()
                .isNotEqualTo(services.path("gateway-2").path("environment").path("AVIARY_GATEWAY_ID").asText());
    }

    @Test
    void servicesReachedFromOutsidePublishTheirPorts() {
        SERVICE_PORTS.forEach((service, ports) -> assertThat(texts(services.path(service).path("ports")))
                .as("ports of %s", service).containsAll(ports));
    }

    @Test
    void aviaryServicesReportReadinessAndStartAfterHealthyInfrastructure() {
        for (String service : AVIARY_SERVICES.keySet()) {
            JsonNode definition = services.path(service);
            assertThat(String.join(" ", texts(definition.path("healthcheck").path("test"))))
                    .as("healthcheck of %s", service)
                    .contains("/actuator/health/readiness");
            assertThat(definition.path("restart").asText()).as("restart policy of %s", service).isNotEmpty();

            JsonNode dependencies = definition.path("depends_on");
            assertThat(names(dependencies)).as("dependencies of %s", service).contains("kafka");
            for (String dependency : names(dependencies)) {
                assertThat(dependencies.path(dependency).path("condition").asText())
                        .as("%s waits for %s", service, dependency).isEqualTo("service_healthy");
                assertThat(services.path(dependency).path("healthcheck").path("test").isMissingNode())
                        .as("%s has a healthcheck to wait for", dependency).isFalse();
            }
        }
    }

    @Test
    void gatewaysHaveTimeToDrainOnStop() {
        for (String gateway : PUBLISHED_PORTS.keySet()) {
            String grace = services.path(gateway).path("stop_grace_period").asText();
            // Compose durations ("30s", "1m30s") are ISO-8601 durations without the PT prefix.
            assertThat(Duration.parse("PT" + grace.toUpperCase(Locale.ROOT)))
                    .as("stop_grace_period of %s", gateway)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(25));
        }
    }

    private static List<String> names(JsonNode mapping) {
        List<String> names = new ArrayList<>();
        mapping.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode sequence) {
        List<String> texts = new ArrayList<>();
        sequence.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
