package io.aviary.router;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A router of a cluster ({@code java -jar aviary-router.jar}): consumes the route topic and applies the delivery
 * rules against the Redis registry, behind a local cache kept current by the registry's change notices. It
 * reads accounts and block lists (XEP-0191) from the database, but leaves the service topic to the roster
 * service. Any number may run; the route topic's partitions divide the accounts between them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RouterServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(RouterServiceApplication.class, "router", Map.of("aviary.registry.redis.cache.enabled", "true"),
                args);
    }
}
