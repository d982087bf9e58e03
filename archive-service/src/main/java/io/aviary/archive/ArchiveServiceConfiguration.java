package io.aviary.archive;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.service.ServerRequests;
import io.aviary.xep0313.ArchiveStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The archive service: the consumer of {@link Topics#ARCHIVE} (group {@code archive}), which hands the router's
 * {@link ArchiveRecord}s and the IQs of the capabilities declared on that topic (XEP-0313, XEP-0357) to them, one
 * archive owner at a time. On unless {@code aviary.archive.enabled=false}.
 */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnProperty(prefix = "aviary.archive", name = "enabled", matchIfMissing = true)
public class ArchiveServiceConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerRequests archiveRequests(StanzaBus bus, CapabilityRegistry capabilities,
                                          ObjectProvider<ArchiveStore> store) {
        // Registered before the subscription starts: what the store keeps of the owners it was handed goes when the bus
        // hands this instance others.
        store.ifAvailable(archive -> bus.whenReassigned(Topics.ARCHIVE, "archive", archive::ownersReassigned));
        return new ServerRequests(bus, Topics.ARCHIVE, "archive", capabilities.handlers(Topics.ARCHIVE));
    }
}
