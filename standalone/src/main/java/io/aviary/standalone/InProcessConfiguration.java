package io.aviary.standalone;

import io.aviary.bus.InProcessBus;
import io.aviary.session.resumption.HibernationReaperConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The standalone wiring: the in-process bus (the registry's in-process default comes from session-service) and the
 * reaper of expired stream-management sessions.
 */
@Configuration(proxyBeanMethods = false)
@Import(HibernationReaperConfiguration.class)
@EnableConfigurationProperties(InProcessConfiguration.BusProperties.class)
public class InProcessConfiguration {

    /**
     * {@code aviary.bus.*}.
     *
     * @param lanes ordered delivery lanes of the in-process bus; one key always uses the same lane (default 8)
     */
    @ConfigurationProperties(prefix = "aviary.bus")
    public record BusProperties(@DefaultValue("8") int lanes) {
    }

    @Bean(destroyMethod = "close")
    public InProcessBus inProcessBus(BusProperties properties) {
        return new InProcessBus(properties.lanes());
    }
}
