package io.aviary.session;

import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.ResumptionProperties;
import io.aviary.session.resumption.ResumptionStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Wires the in-process registry and XEP-0198 resumption store unless other implementations (Redis, in cluster
 * mode) are present.
 */
@AutoConfiguration
@EnableConfigurationProperties(ResumptionProperties.class)
public class RegistryConfiguration {

    @Bean
    @ConditionalOnMissingBean(SessionRegistry.class)
    public SessionRegistry inMemorySessionRegistry() {
        return new InMemorySessionRegistry();
    }

    @Bean
    @ConditionalOnMissingBean(ResumptionStore.class)
    public ResumptionStore inMemoryResumptionStore() {
        return new InMemoryResumptionStore();
    }
}
