package io.aviary.muc;

import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The group chat service of a cluster ({@code java -jar aviary-muc.jar}). Any number may run; the muc topic's
 * partitions divide the rooms between them, and a room's state is in the room store, so a room moves to another
 * instance when its owner stops or dies.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MucServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(MucServiceApplication.class, "muc", Map.of(), args);
    }
}
