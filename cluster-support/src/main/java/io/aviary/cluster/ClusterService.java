package io.aviary.cluster;

import io.aviary.xmpp.jid.Precis;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one tier of a cluster: the {@code cluster} profile ({@code application-cluster.yml}: Kafka bus, Redis
 * registry, PostgreSQL, management endpoints) plus the tier's own defaults. Every other tier whose code shares
 * the classpath (a gateway has the roster capabilities' beans for their stream features; tests have all tiers)
 * is switched off. Anything set in the environment or on the command line wins.
 */
public final class ClusterService {

    public static final String PROFILE = "cluster";

    /** The tiers switched on and off by {@code aviary.<tier>.enabled}. */
    private static final List<String> SWITCHED_TIERS = List.of("gateway", "router", "roster", "archive", "upload", "muc", "pubsub", "s2s", "admin");

    private ClusterService() {
    }

    /**
     * @param tier     the service's name ({@code gateway}, {@code router}, {@code session}, {@code roster}): the
     *                 application name in logs and metrics is {@code aviary-<tier>}
     * @param defaults the tier's own defaults
     */
    public static ConfigurableApplicationContext run(Class<?> application, String tier, Map<String, Object> defaults,
                                                     String... args) {
        Precis.ensure();
        SpringApplication spring = new SpringApplication(application);
        spring.setAdditionalProfiles(PROFILE);
        Map<String, Object> properties = new HashMap<>();
        SWITCHED_TIERS.forEach(t -> properties.put("aviary." + t + ".enabled", Boolean.toString(t.equals(tier))));
        properties.putAll(defaults);
        properties.put("spring.application.name", "aviary-" + tier);
        spring.setDefaultProperties(properties);
        return spring.run(args);
    }
}
