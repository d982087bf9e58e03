package io.aviary.offline;

import io.aviary.account.AccountStore;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.service.Outbox;
import io.aviary.session.SessionRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/** Offline messages (RFC 6121 §8.5.2.2.1, XEP-0160, XEP-0203), switched by {@code aviary.capabilities.offline.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("offline")
@EnableConfigurationProperties(OfflineProperties.class)
public class OfflineConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public OfflineStore offlineStore(DataSource dataSource) {
        return new JdbcOfflineStore(dataSource);
    }

    @Bean
    public Capability offlineCapability(DomainBareJid domain, OfflineStore store, Outbox outbox,
                                        OfflineProperties properties, SessionRegistry registry, AccountStore accounts) {
        OfflineMessages offline = new OfflineMessages(domain, store, outbox, properties.maxMessages(), Clock.systemUTC(),
                registry, accounts::exists);
        return Capability.of(Declaration.builder("offline")
                .summary("messages kept for accounts with no available resource, delivered at the next login")
                .complete("XEP-0160", "Best Practices for Handling Offline Messages", "1.0.1", "chat and normal "
                        + "messages stored, delivered at the next available presence with non-negative priority; per-user quota")
                .complete("XEP-0203", "Delayed Delivery", "2.0", "offline messages carry their delay stamp")
                .discoFeature("msgoffline")
                .listensTo(Events.PRESENCE_AVAILABLE).listensTo(Events.ACCOUNT_REMOVED).store("offline").build(),
                registrar -> {
                    registrar.message(offline);
                    registrar.on(Events.PRESENCE_AVAILABLE, offline::resourceReachable);
                    registrar.on(Events.ACCOUNT_REMOVED, offline::accountDeleted);
                });
    }
}
