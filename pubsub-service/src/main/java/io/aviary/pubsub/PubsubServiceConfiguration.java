package io.aviary.pubsub;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.service.ServerRequests;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The publish-subscribe service: the consumer of {@link Topics#PUBSUB} (group {@code pubsub}), which hands the
 * stanzas for {@code pubsub.<domain>} and the accounts' PEP requests to the capabilities declared on that topic. On
 * unless {@code aviary.pubsub.enabled=false}.
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnProperty(prefix = "aviary.pubsub", name = "enabled", matchIfMissing = true)
public class PubsubServiceConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerRequests pubsubRequests(StanzaBus bus, CapabilityRegistry capabilities) {
        return new ServerRequests(bus, Topics.PUBSUB, "pubsub", capabilities.handlers(Topics.PUBSUB));
    }
}
