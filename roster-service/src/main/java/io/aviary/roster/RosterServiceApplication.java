package io.aviary.roster;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The roster service of a cluster ({@code java -jar aviary-roster.jar}): answers the service topic (rosters,
 * subscriptions, presence broadcast and probes, offline storage, the server's XEPs) on PostgreSQL. Any number
 * may run; the service topic's partitions divide the accounts between them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class RosterServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(RosterServiceApplication.class, "roster", Map.of(), args);
    }
}
