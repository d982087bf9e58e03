package io.aviary.cluster;

import io.aviary.xmpp.jid.Precis;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one tier of a cluster: the {@code cluster} profile ({@code application-cluster.yml}: Kafka bus, Redis
 * registry, PostgreSQL, management endpoints) plus the tier's own defaults, which switch off the tiers that
 * share its jar but run elsewhere. Anything set in the environment or on the command line wins over both.
 */
public final class ClusterService {

    public static final String PROFILE = "cluster";

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
        Map<String, Object> properties = new HashMap<>(defaults);
        properties.put("spring.application.name", "aviary-" + tier);
        spring.setDefaultProperties(properties);
        return spring.run(args);
    }
}
