package io.aviary.pubsub;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The publish-subscribe service of a cluster ({@code java -jar aviary-pubsub.jar}). Any number may run; the pubsub
 * topic's partitions divide the node owners between them, and nodes and items are in the store, so an owner's nodes
 * move to another instance when the one that served them stops or dies.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PubsubServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(PubsubServiceApplication.class, "pubsub", Map.of(), args);
    }
}
