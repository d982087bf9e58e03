package io.aviary.admin;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The admin service of a cluster ({@code java -jar aviary-admin.jar}). Any number may run: it keeps no state of its own, so any number may run behind one address.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class AdminServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(AdminServiceApplication.class, "admin", Map.of(), args);
    }
}
