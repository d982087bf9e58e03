package io.aviary.s2s;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The federation service of a cluster ({@code java -jar aviary-s2s.jar}). Any number may run: remote domains' outgoing streams are divided by the s2s topic's partitions; incoming streams and components may connect to any instance.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class S2sServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(S2sServiceApplication.class, "s2s", Map.of(), args);
    }
}
