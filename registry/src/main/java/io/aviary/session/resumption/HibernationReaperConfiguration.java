package io.aviary.session.resumption;

import io.aviary.bus.StanzaBus;
import io.aviary.session.SessionRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link HibernationReaper}, for the applications that end expired XEP-0198 sessions: the standalone app and the
 * session service import it (gateways and routers do not reap).
 */
@Configuration(proxyBeanMethods = false)
public class HibernationReaperConfiguration {

    @Bean
    public HibernationReaper hibernationReaper(SessionRegistry registry, ResumptionStore store, StanzaBus bus,
                                               ObjectProvider<MeterRegistry> meters, ResumptionProperties properties) {
        Clock clock = Clock.systemUTC();
        return new HibernationReaper(store,
                new ExpiredSessions(registry, store, bus, meters.getIfAvailable(SimpleMeterRegistry::new), clock),
                properties, clock);
    }
}
