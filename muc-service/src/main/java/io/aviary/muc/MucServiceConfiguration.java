package io.aviary.muc;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.service.ServerRequests;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The group chat service: the consumer of {@link Topics#MUC} (group {@code muc}), which hands the stanzas for
 * {@code conference.<domain>} and its rooms to the capabilities declared on that topic. On unless
 * {@code aviary.muc.enabled=false}.
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnProperty(prefix = "aviary.muc", name = "enabled", matchIfMissing = true)
public class MucServiceConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerRequests mucRequests(StanzaBus bus, CapabilityRegistry capabilities) {
        return new ServerRequests(bus, Topics.MUC, "muc", capabilities.handlers(Topics.MUC));
    }
}
