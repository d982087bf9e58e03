package io.aviary.session;

import io.aviary.bus.StanzaBus;
import io.aviary.cluster.ClusterService;
import io.aviary.service.ProcessDefaults;
import io.aviary.session.redis.DeadGatewayCleanup;
import io.aviary.session.redis.DeadGatewaySweeper;
import io.aviary.session.redis.RedisRegistryProperties;
import io.aviary.session.resumption.HibernationReaperConfiguration;
import io.aviary.session.resumption.ResumptionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The session service of a cluster ({@code java -jar aviary-session.jar}): watches gateway liveness in the Redis
 * registry and ends the sessions of dead gateways with unavailable presence, and ends the XEP-0198 sessions nobody
 * resumed in time. Any number may run; each dead gateway's sessions are removed by one atomic script, and each
 * expired session is handed to one instance, so only one instance finds them.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HibernationReaperConfiguration.class)
public class SessionServiceApplication {

    public static void main(String[] args) {
        ProcessDefaults.apply();
        start(args);
    }

    /** Starts the service; tests start several tiers in one JVM this way. */
    public static ConfigurableApplicationContext start(String... args) {
        return ClusterService.run(SessionServiceApplication.class, "session", Map.of(), args);
    }

    @Bean
    public DeadGatewayCleanup deadGatewayCleanup(DeadGatewaySweeper sweeper, StanzaBus bus, ResumptionStore store,
                                                 ObjectProvider<MeterRegistry> meters,
                                                 RedisRegistryProperties properties) {
        // Past the session TTL no registry entry, and so no router's route, can still point at the dead gateway.
        return new DeadGatewayCleanup(sweeper, bus, store, meters.getIfAvailable(SimpleMeterRegistry::new),
                Clock.systemUTC(), properties.sweepInterval(), properties.sessionTtl());
    }
}
