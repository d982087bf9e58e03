package io.aviary.upload;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The upload service of a cluster ({@code java -jar aviary-upload.jar}): files and calls. Any number may run; the
 * upload topic's partitions divide the requests between them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class UploadServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(UploadServiceApplication.class, "upload", Map.of(), args);
    }
}
