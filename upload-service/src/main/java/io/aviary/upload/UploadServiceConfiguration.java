package io.aviary.upload;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.service.ServerRequests;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The upload service: the consumer of {@link Topics#UPLOAD} (group {@code upload}), which hands the stanzas for the
 * hosted services and IQs of the capabilities declared on that topic (files and calls) to them. On unless
 * {@code aviary.upload.enabled=false}.
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnProperty(prefix = "aviary.upload", name = "enabled", matchIfMissing = true)
public class UploadServiceConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerRequests uploadRequests(StanzaBus bus, CapabilityRegistry capabilities) {
        return new ServerRequests(bus, Topics.UPLOAD, "upload", capabilities.handlers(Topics.UPLOAD));
    }
}
