package io.aviary.cluster;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;

/**
 * Refuses to start a cluster tier whose capability catalogue is its own process's. The router and the gateways learn
 * from the shared catalogue (Redis, the registry module) which topics are served: a tier that published its
 * declarations only to itself ran, reported ready, and got nothing (an archive tier whose router never archived, a
 * group chat tier that no stanza reached). A tier's jar that lacks the registry module fails here instead.
 */
@AutoConfiguration
@Profile(ClusterService.PROFILE)
public class SharedCatalogueCheck {

    @Bean
    public SmartInitializingSingleton sharedCapabilityCatalogue(ObjectProvider<CapabilityCatalogue> catalogue) {
        return () -> catalogue.ifAvailable(c -> {
            if (c instanceof InMemoryCapabilityCatalogue) {
                throw new IllegalStateException("this cluster tier's capability catalogue is its own process's, so no "
                        + "other tier would learn of its capabilities: the tier needs the registry module (Redis) "
                        + "on its class path");
            }
        });
    }
}
