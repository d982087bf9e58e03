package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.EventSink;
import io.aviary.service.BusRequests;
import io.aviary.service.ServerRequests;
import io.aviary.session.SessionRegistry;
import io.aviary.xep0191.BlockListStore;
import io.aviary.xep0191.BlockedDomains;
import io.aviary.xep0191.InMemoryBlockListStore;
import io.aviary.xep0191.JdbcBlockListStore;
import io.aviary.xep0377.AbuseReports;
import io.aviary.xep0377.InMemoryAbuseReports;
import io.aviary.xep0377.JdbcAbuseReports;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The admin service: {@link AdminOperations} over the accounts, the session registry and the bus, the audit log, and
 * the consumer of {@link Topics#ADMIN} (group {@code admin}) that hands the capabilities declared on that topic (XEP-0050
 * commands) their IQs. It needs only the bus, the registry, the account store and the database, so in a cluster it is a
 * tier of its own. On unless {@code aviary.admin.enabled=false}.
 */
@AutoConfiguration(afterName = {"io.aviary.capability.spring.CapabilitiesConfiguration",
        "io.aviary.xep0191.BlockingConfiguration",
        "io.aviary.account.AccountConfiguration", "io.aviary.session.RegistryConfiguration"})
@ConditionalOnBean({StanzaBus.class, Accounts.class, SessionRegistry.class})
@ConditionalOnProperty(prefix = "aviary.admin", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(Administrators.class)
public class AdminServiceConfiguration {

    @Bean
    public AuditLog auditLog(ObjectProvider<DataSource> dataSource) {
        DataSource database = dataSource.getIfAvailable();
        return database != null ? AuditLogs.jdbc(database) : AuditLogs.inMemory(10_000);
    }

    @Bean
    public AdminOperations adminOperations(Accounts accounts, SessionRegistry sessions, StanzaBus bus, EventSink events,
                                           DomainBareJid domain, AuditLog audit) {
        return new AdminOperations(accounts, sessions, bus, events, domain, audit, Clock.systemUTC());
    }

    /** Completes the account removals asked for on the command line, which has only the database. */
    @Bean
    public AccountRemovalRequests accountRemovalRequests(Accounts accounts, AdminOperations operations) {
        return new AccountRemovalRequests(accounts, operations);
    }

    /** The abuse reports' queue the blocking command fills (XEP-0377), on the database, in memory without one. */
    @Bean
    @ConditionalOnMissingBean(AbuseReports.class)
    public AbuseReports abuseReports(ObjectProvider<DataSource> dataSource) {
        DataSource database = dataSource.getIfAvailable();
        return database != null ? new JdbcAbuseReports(database) : new InMemoryAbuseReports();
    }

    /** The block lists, where the blocking capability does not bring them (for the domains operators block). */
    @Bean
    @ConditionalOnMissingBean(BlockListStore.class)
    public BlockListStore adminBlockListStore(ObjectProvider<DataSource> dataSource) {
        DataSource database = dataSource.getIfAvailable();
        return database != null ? new JdbcBlockListStore(database) : new InMemoryBlockListStore();
    }

    @Bean
    public AbuseReview abuseReview(AbuseReports reports, AdminOperations operations, BlockListStore blockLists) {
        return new AbuseReview(reports, operations, new BlockedDomains(blockLists));
    }

    /** The admin tier's questions to the other services (rosters, rooms, nodes): 10 s at most, 100 at once. */
    @Bean(initMethod = "start", destroyMethod = "close")
    public BusRequests adminBusRequests(StanzaBus bus) {
        return new BusRequests(bus, Duration.ofSeconds(10), 100);
    }

    @Bean
    public UserRosters userRosters(AdminOperations operations, BusRequests adminBusRequests) {
        return new UserRosters(operations, adminBusRequests);
    }

    @Bean
    public HostedServices hostedServices(AdminOperations operations, BusRequests adminBusRequests,
                                         ObjectProvider<CapabilityCatalogue> catalogue) {
        return new HostedServices(operations, adminBusRequests, () -> {
            CapabilityCatalogue capabilities = catalogue.getIfAvailable();
            return capabilities == null ? List.of() : capabilities.declarations();
        });
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public ServerRequests adminRequests(StanzaBus bus, CapabilityRegistry capabilities) {
        return new ServerRequests(bus, Topics.ADMIN, "admin", capabilities.handlers(Topics.ADMIN));
    }
}
