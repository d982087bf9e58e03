package io.aviary.archive;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The archive service of a cluster ({@code java -jar aviary-archive.jar}): message archives and push registrations on
 * PostgreSQL. Any number may run; the archive topic's partitions divide the archive owners between them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ArchiveServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(ArchiveServiceApplication.class, "archive", Map.of(), args);
    }
}
