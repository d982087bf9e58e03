package io.aviary.capability.spring;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.EventSink;
import io.aviary.capability.EventType;
import io.aviary.capability.InMemoryCapabilityCatalogue;
import io.aviary.capability.InMemoryKeyValueStore;
import io.aviary.capability.KeyValueStore;
import io.aviary.capability.PluginLoader;
import io.aviary.capability.ServerDescription;
import io.aviary.service.Outbox;
import io.aviary.service.ServerWideEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The capabilities of this process: every {@link Capability} bean (each capability package's own
 * auto-configuration contributes its bean, under {@link ConditionalOnCapability}) and the capabilities of the
 * plugin jars, registered in one {@link CapabilityRegistry} and published in the {@link CapabilityCatalogue}
 * under this service's name. Handlers, disco and stream features all come from here.
 */
// By name: a tier without JDBC (s2s) has none of these classes.
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "io.aviary.bus.kafka.KafkaBusConfiguration", "io.aviary.session.redis.RedisRegistryConfiguration"})
@ConditionalOnBean(StanzaBus.class)
@EnableConfigurationProperties(PluginProperties.class)
public class CapabilitiesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CapabilitiesConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public Outbox outbox(StanzaBus bus) {
        return new Outbox(bus);
    }

    /** The domain served, for the capabilities' handlers. */
    @Bean
    @ConditionalOnMissingBean
    public DomainBareJid xmppDomain(@Value("${aviary.domain:localhost}") String domain) throws XmppStringprepException {
        return JidCreate.domainBareFrom(domain);
    }

    @Bean
    @ConditionalOnMissingBean
    public CapabilityCatalogue capabilityCatalogue() {
        return new InMemoryCapabilityCatalogue();
    }

    /** The capabilities of the plugin jars, loaded once; each can be switched off like any other. */
    @Bean
    public PluginCapabilities pluginCapabilities(PluginProperties properties,
                                                 @Value("${aviary.data-dir:./data}") Path dataDir) {
        Path directory = properties.directory(dataDir);
        List<PluginLoader.Plugin> plugins = PluginLoader.load(directory, getClass().getClassLoader(),
                properties.onError() == PluginProperties.OnError.SKIP);
        log.info("plugins directory {}: {} plugin(s)", directory, plugins.size());
        return new PluginCapabilities(plugins);
    }

    @Bean
    public CapabilityRegistry capabilityRegistry(ObjectProvider<Capability> capabilities, PluginCapabilities plugins,
                                                 Outbox outbox, CapabilityCatalogue catalogue,
                                                 ObjectProvider<DataSource> dataSource, StanzaBus bus,
                                                 Environment environment,
                                                 DomainBareJid domain,
                                                 @Value("${spring.application.name:aviary}") String service) {
        List<Capability> all = new ArrayList<>(capabilities.orderedStream().toList());
        plugins.plugins().stream().flatMap(p -> p.capabilities().stream())
                .filter(c -> OnCapabilityCondition.enabled(environment, c.declaration().name()))
                .forEach(all::add);
        DataSource database = dataSource.getIfAvailable();
        // Presence-derived state is shared through the database only where other processes hold sessions too.
        CapabilityRegistry registry = CapabilityRegistry.of(all, new CapabilityRegistry.Host(
                domain, outbox::send, storesOn(database), storesOn(bus.spansProcesses() ? database : null),
                (capability, key) -> Optional.ofNullable(
                        environment.getProperty("aviary.capabilities." + capability + "." + key))));
        catalogue.publish(service, registry.declarations());
        log.info("capabilities of {}: {}", service, registry.declarations().stream().map(d -> d.name()).toList());
        return registry;
    }

    /** Each capability's stores by name, opened once: on {@code database}, or in memory when it is null. */
    private static BiFunction<String, String, KeyValueStore> storesOn(DataSource database) {
        Map<String, KeyValueStore> opened = new ConcurrentHashMap<>();
        return (capability, store) -> opened.computeIfAbsent(capability + "/" + store, k -> database != null
                ? new JdbcKeyValueStore(database, capability, store) : new InMemoryKeyValueStore());
    }

    /**
     * Emits events through the registry, found when first used: the capabilities that emit are themselves among
     * those the registry is built from. Primary: the registry is an {@link EventSink} too, but not yet while it is built.
     */
    @Bean
    @Primary
    public EventSink eventSink(ObjectProvider<CapabilityRegistry> registry) {
        return new EventSink() {
            @Override
            public <T> void emit(EventType<T> event, T payload) {
                registry.getObject().emit(event, payload);
            }
        };
    }

    /** Carries the server-wide events (an account removed) to and from the other services of a cluster. */
    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerWideEvents serverWideEvents(StanzaBus bus, CapabilityRegistry registry,
                                             @Value("${spring.application.name:aviary}") String service) {
        return new ServerWideEvents(bus, registry, service);
    }

    /**
     * What the whole server (every process of a cluster) says about itself, read from the catalogue on each use, by
     * when the registry (a singleton created at start) has published this process's declarations.
     */
    @Bean
    public Supplier<ServerDescription> serverDescription(CapabilityCatalogue catalogue) {
        return () -> new ServerDescription(catalogue.declarations());
    }

    /** {@code /actuator/info}: the capabilities of the server and the specifications they implement. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
    static class Info {

        @Bean
        public CapabilitiesInfoContributor capabilitiesInfoContributor(CapabilityCatalogue catalogue) {
            return new CapabilitiesInfoContributor(catalogue);
        }
    }

    /** The loaded plugin jars. */
    public record PluginCapabilities(List<PluginLoader.Plugin> plugins) {
    }
}
