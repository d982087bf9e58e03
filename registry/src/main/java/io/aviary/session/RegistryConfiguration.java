package io.aviary.session;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Wires the in-process registry unless another implementation (Redis, in cluster mode) is present. */
@AutoConfiguration
public class RegistryConfiguration {

    @Bean
    @ConditionalOnMissingBean(SessionRegistry.class)
    public SessionRegistry inMemorySessionRegistry() {
        return new InMemorySessionRegistry();
    }
}
