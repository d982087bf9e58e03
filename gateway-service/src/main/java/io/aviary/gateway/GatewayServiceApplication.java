package io.aviary.gateway;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway of a cluster ({@code java -jar aviary-gateway.jar}): client connections over TCP, BOSH and WebSocket;
 * publishes to the route topic and delivers what arrives on its own topic. It reads accounts (SASL) from the
 * database and has the server capabilities' beans for their stream features and caps, but leaves the service
 * topic to the roster service. Give each instance its own {@code aviary.gateway.id}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class GatewayServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(GatewayServiceApplication.class, "gateway", Map.of(), args);
    }
}
