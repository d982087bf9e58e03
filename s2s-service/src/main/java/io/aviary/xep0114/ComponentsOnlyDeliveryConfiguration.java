package io.aviary.xep0114;

import io.aviary.bus.StanzaBus;
import io.aviary.s2s.ComponentDomains;
import io.aviary.s2s.RemoteDelivery;
import io.aviary.service.Outbox;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The stand-in consumer of the s2s topic ({@link ComponentsOnlyDelivery}) when components are configured and no other
 * {@link RemoteDelivery} (the federation tier's) exists. Ordered last among the auto-configurations so that any other
 * one that contributes a {@link RemoteDelivery} has been processed when the condition is evaluated.
 */
@AutoConfiguration(after = ComponentsConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnBean({StanzaBus.class, ComponentDomains.class})
public class ComponentsOnlyDeliveryConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean(RemoteDelivery.class)
    public RemoteDelivery componentsOnlyDelivery(StanzaBus bus, ComponentDomains components, Outbox outbox) {
        return new ComponentsOnlyDelivery(bus, components, outbox);
    }
}
