package io.aviary.xep0114;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.service.Outbox;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * XEP-0114 external components (capability {@code components}) where the federation tier runs
 * ({@code aviary.s2s.enabled}): the component port, the {@link io.aviary.s2s.ComponentDomains} the s2s topic's
 * consumer asks, and the declaration of each configured component as a hosted service on {@link Topics#S2S}, so the
 * router hands it every stanza for the component's domain and the domain's disco#items lists it.
 */
@AutoConfiguration(afterName = {"io.aviary.capability.spring.CapabilitiesConfiguration",
        "io.aviary.session.redis.RedisRegistryConfiguration"})
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("components")
@ConditionalOnProperty(prefix = "aviary.s2s", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ComponentsProperties.class)
public class ComponentsConfiguration {

    /** In a cluster the holders of the components' streams are on the registry's Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "aviary.registry.type", havingValue = "redis")
    static class Cluster {

        @Bean
        public ComponentHolders redisComponentHolders(StringRedisTemplate redis, ComponentsProperties properties) {
            return new RedisComponentHolders(redis, properties.holderTtl());
        }
    }

    @Bean
    @ConditionalOnMissingBean(ComponentHolders.class)
    public ComponentHolders localComponentHolders() {
        return new LocalComponentHolders();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public ConnectedComponents connectedComponents(ComponentsProperties properties, Outbox outbox, StanzaBus bus,
                                                   ComponentHolders holders) {
        return new ConnectedComponents(properties.services(), outbox, bus, holders, properties.instanceId());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public ComponentListener componentListener(ComponentsProperties properties, ConnectedComponents components,
                                               StanzaBus bus) {
        return new ComponentListener(properties, components, bus);
    }

    /**
     * Ends the components' streams as soon as the context starts closing, before its lifecycle beans stop: the holds
     * are released while Redis is still there, so a component can connect to another instance at once.
     */
    @Bean
    public ApplicationListener<ContextClosedEvent> componentsShutdown(ComponentListener listener) {
        return event -> listener.close();
    }

    @Bean
    public Capability componentsCapability(ComponentsProperties properties, ConnectedComponents components) {
        List<HostedService> services = properties.services().stream()
                .map(c -> HostedService.of(JidCreate.domainBareFromOrThrowUnchecked(c.domain()), c.name(),
                        c.category(), c.type(), Set.of()))
                .toList();
        return Capability.of(declaration(services), registrar -> services.forEach(service ->
                registrar.service(service.address(), (stanza, delivery) -> components.send(stanza))));
    }

    static Declaration declaration(List<HostedService> services) {
        Declaration.Builder declaration = Declaration.builder("components")
                .summary("external components (gateways, bots) on the component port")
                .topic(Topics.S2S)
                .complete("XEP-0114", "Jabber Component Protocol", "1.6",
                        "the component port (5347, loopback by default): per-component secrets, the handshake, "
                                + "stanzas from the component's domain only, listed in the domain's disco#items")
                .partial("XEP-0100", "Gateway Interaction", "1.0",
                        "gateways as XEP-0114 components, listed in disco#items with their identity; IQs (registration "
                                + "among them), presence and messages pass between users and the gateway unchanged "
                                + "(tested with Biboumi's IRC channels); no XEP-0356 privileges for gateways that edit "
                                + "rosters");
        services.forEach(declaration::hostedService);
        return declaration.build();
    }
}
