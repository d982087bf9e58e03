package io.aviary.xep0357;

import io.aviary.archive.ArchiveDatabase;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0357 Push Notifications on the archive service's topic, switched by {@code aviary.capabilities.push.enabled}:
 * the enable/disable command and the notifier that follows the router's archive records. Registrations are kept in
 * the archive schema when there is a database, in memory otherwise.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "io.aviary.archive.ArchiveStoreConfiguration"})
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("push")
@EnableConfigurationProperties(PushProperties.class)
public class PushConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public PushRegistrationStore pushRegistrationStore(ObjectProvider<ArchiveDatabase> database) {
        // In the archive's database (its schema has the push table), when there is one.
        ArchiveDatabase archive = database.getIfAvailable();
        return archive == null ? new InMemoryPushRegistrationStore() : new JdbcPushRegistrationStore(archive.dataSource());
    }

    @Bean
    public Capability pushCapability(DomainBareJid domain, PushRegistrationStore store, PushProperties properties,
                                     ObjectProvider<MeterRegistry> meters) {
        return Capability.of(Declaration.builder("push")
                .summary("push notifications to a mobile app's server while no client of the account is connected")
                .topic(Topics.ARCHIVE)
                .partial("XEP-0357", "Push Notifications", "0.3.1", "enable (with publish options) and disable; a "
                        + "urn:xmpp:push:summary notification for messages to hibernated or offline accounts and for "
                        + "group chat messages that found only hibernated sessions, once per burst; the body only if "
                        + "the operator allows it; registrations disabled on error replies "
                        + "other than type wait; remote disabling by affiliation change not handled")
                .accountIq(PushCommand.NAMESPACE)
                .listensTo(Events.ACCOUNT_REMOVED).store("push-registrations").build(), registrar -> {
                    PushNotifier notifier = new PushNotifier(store, registrar.context()::send, properties,
                            Clock.systemUTC(), new PushMetrics(meters.getIfAvailable(SimpleMeterRegistry::new)));
                    PushCommand command = new PushCommand(domain, store, notifier);
                    registrar.iq(command);
                    registrar.message(notifier);
                    registrar.on(Events.ACCOUNT_REMOVED, command::accountDeleted);
                });
    }
}
