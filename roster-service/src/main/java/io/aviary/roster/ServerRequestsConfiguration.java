package io.aviary.roster;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.service.ServerRequests;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Requests to the server: the {@link ServerRequests} consumer of the service topic, answering with what the
 * capabilities registered, when a bus is present and {@code aviary.roster.enabled} (default true).
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
public class ServerRequestsConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(prefix = "aviary.roster", name = "enabled", matchIfMissing = true)
    public ServerRequests serverRequests(StanzaBus bus, CapabilityRegistry capabilities) {
        return new ServerRequests(bus, Topics.SERVICE, "server-requests", capabilities.handlers(Topics.SERVICE));
    }
}
