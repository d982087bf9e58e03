package io.aviary.xep0199;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.spring.ConditionalOnCapability;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/** XEP-0199 XMPP Ping, switched by {@code aviary.capabilities.ping.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("ping")
public class PingConfiguration {

    @Bean
    public Capability pingCapability() {
        return Capability.of(Declaration.builder("ping").summary("the server answers pings")
                .complete("XEP-0199", "XMPP Ping", "2.0.1", "answered by the server")
                .iq(Ping.NAMESPACE).build(), registrar -> registrar.iq(new Ping()));
    }
}
