package io.aviary.xep0191;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.service.PresenceSender;
import io.aviary.service.SubscriptionLookup;
import io.aviary.session.SessionRegistry;
import io.aviary.xep0377.AbuseReport;
import io.aviary.xep0377.AbuseReporting;
import io.aviary.xep0377.AbuseReports;
import io.aviary.xep0377.JdbcAbuseReports;
import java.time.Clock;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0191 Blocking Command, switched by {@code aviary.capabilities.blocking.enabled}: the command where the
 * server's requests are answered, the filter where stanzas are routed. Block lists are read for both parties of
 * every routed stanza, so the JDBC store is cached in every instance ({@code aviary.blocking.cache.*}).
 */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("blocking")
@EnableConfigurationProperties(BlockListCacheProperties.class)
public class BlockingConfiguration {

    /** Where no roster capability runs, there is no presence to send. */
    private static final PresenceSender NO_PRESENCE = new PresenceSender() {
        @Override
        public void current(EntityBareJid account, String to) {
        }

        @Override
        public void unavailable(EntityBareJid account, String to) {
        }
    };

    @Bean
    @ConditionalOnMissingBean(BlockListStore.class)
    @DependsOnDatabaseInitialization
    public CachingBlockListStore blockListStore(DataSource dataSource, BlockListCacheProperties cache,
                                                ObjectProvider<BlockListChanges> changes) {
        return new CachingBlockListStore(new JdbcBlockListStore(dataSource), cache.ttl(), cache.size(),
                changes.getIfAvailable(() -> BlockListChanges.NONE));
    }

    /** The abuse reports' review queue (XEP-0377), on the application's database. */
    @Bean
    @ConditionalOnMissingBean(AbuseReports.class)
    @DependsOnDatabaseInitialization
    public AbuseReports abuseReports(DataSource dataSource) {
        return new JdbcAbuseReports(dataSource);
    }

    /**
     * Where the roster capability runs (the state service) the command tells blocked contacts the account went
     * unavailable; elsewhere (a router) only the filter is used, and the command never runs.
     */
    @Bean
    public Capability blockingCapability(DomainBareJid domain, BlockListStore store, SessionRegistry sessions,
                                         StanzaBus bus, ObjectProvider<SubscriptionLookup> subscriptions,
                                         ObjectProvider<PresenceSender> presence, AbuseReports reports) {
        BlockingCommand command = new BlockingCommand(domain, store, sessions, bus,
                subscriptions.getIfAvailable(() -> (account, contact) -> false),
                presence.getIfAvailable(() -> NO_PRESENCE), new AbuseReporting(reports, Clock.systemUTC()));
        BlockingFilter filter = new BlockingFilter(domain, store);
        return Capability.of(Declaration.builder("blocking")
                .summary("block lists: blocked contacts' stanzas stop at the server")
                .complete("XEP-0191", "Blocking Command", "1.3", "block list, block, unblock, unblock-all, pushes "
                        + "to all resources, stanzas from and to blocked JIDs stopped, unavailable presence to blocked "
                        + "subscribers and current presence on unblock")
                .partial("XEP-0377", "Spam Reporting", "0.4.0", "reports sent with a block go to the operators' "
                        + "review queue (reason, text, stanza ids); no forwarding to the origin or third parties")
                .iq(BlockingCommand.NAMESPACE).discoFeature(AbuseReport.NAMESPACE).listensTo(Events.ACCOUNT_REMOVED)
                .store("block-list").build(), registrar -> {
                    registrar.iq(command);
                    registrar.filter(filter);
                    registrar.on(Events.ACCOUNT_REMOVED, command::accountDeleted);
                    registrar.on(Events.ACCOUNT_REMOVED, account -> reports.removeReporter(account.toString()));
                });
    }
}
