package io.aviary.roster;

import io.aviary.account.AccountListener;
import io.aviary.account.AccountStore;
import io.aviary.account.Accounts;
import io.aviary.bus.StanzaBus;
import io.aviary.service.AccountVisibility;
import io.aviary.service.FeatureProvider;
import io.aviary.service.IqHandler;
import io.aviary.service.PresenceSender;
import io.aviary.service.SubscriptionLookup;
import io.aviary.session.SessionRegistry;
import io.aviary.xep0012.JdbcLastActivityStore;
import io.aviary.xep0012.LastActivity;
import io.aviary.xep0012.LastActivityStore;
import io.aviary.xep0030.DiscoInfo;
import io.aviary.xep0030.DiscoInfoHandler;
import io.aviary.xep0030.DiscoItemsHandler;
import io.aviary.xep0030.ServerFeatures;
import io.aviary.xep0049.JdbcPrivateStore;
import io.aviary.xep0049.PrivateStorageProperties;
import io.aviary.xep0049.PrivateStore;
import io.aviary.xep0049.PrivateXmlStorage;
import io.aviary.xep0054.JdbcVCardStore;
import io.aviary.xep0054.VCardProperties;
import io.aviary.xep0054.VCardStore;
import io.aviary.xep0054.VCardTemp;
import io.aviary.xep0077.AccountRegistrationHandler;
import io.aviary.xep0077.RegistrationProperties;
import io.aviary.xep0092.SoftwareVersion;
import io.aviary.xep0092.VersionProperties;
import io.aviary.xep0115.CapsProperties;
import io.aviary.xep0115.EntityCapabilities;
import io.aviary.xep0191.BlockListCacheProperties;
import io.aviary.xep0191.BlockListChanges;
import io.aviary.xep0191.BlockListStore;
import io.aviary.xep0191.BlockingCommand;
import io.aviary.xep0191.BlockingFilter;
import io.aviary.xep0191.CachingBlockListStore;
import io.aviary.xep0191.JdbcBlockListStore;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * The server's own XEPs, answered by the roster service: service discovery (0030), entity
 * capabilities (0115), software version (0092), vcard-temp (0054), private XML storage (0049),
 * last activity (0012), blocking (0191) and account management after login (0077). Each store
 * is JDBC on the application's {@link DataSource} unless another store bean is defined; block lists are
 * cached in front of it (read for every routed stanza).
 */
@AutoConfiguration(after = RosterServiceConfiguration.class)
@ConditionalOnBean(StanzaBus.class)
@EnableConfigurationProperties({VersionProperties.class, VCardProperties.class, PrivateStorageProperties.class,
        RegistrationProperties.class, CapsProperties.class, BlockListCacheProperties.class})
public class ServerXepConfiguration {

    private final DomainBareJid domain;

    public ServerXepConfiguration(@Value("${aviary.domain:localhost}") String domain) throws XmppStringprepException {
        this.domain = JidCreate.domainBareFrom(domain);
    }

    @Bean
    public ServerFeatures serverFeatures(ObjectProvider<IqHandler> handlers, ObjectProvider<FeatureProvider> providers) {
        return new ServerFeatures(() -> handlers.orderedStream().toList(), () -> providers.orderedStream().toList());
    }

    @Bean
    public AccountVisibility accountVisibility(AccountStore accounts, ObjectProvider<SubscriptionLookup> subscriptions) {
        return new AccountVisibility(accounts, Optional.ofNullable(subscriptions.getIfAvailable()));
    }

    @Bean
    public EntityCapabilities entityCapabilities(CapsProperties properties, ServerFeatures features) {
        return new EntityCapabilities(properties.node(), features);
    }

    @Bean
    public DiscoInfoHandler discoInfoHandler(ServerFeatures features, AccountVisibility visibility, EntityCapabilities caps) {
        Set<String> accountFeatures = Set.of(DiscoInfo.INFO, DiscoInfo.ITEMS, VCardTemp.NAMESPACE, LastActivity.NAMESPACE);
        return new DiscoInfoHandler(domain, features, accountFeatures, visibility, caps::isCapsNode);
    }

    @Bean
    public DiscoItemsHandler discoItemsHandler() {
        return new DiscoItemsHandler(domain);
    }

    @Bean
    public SoftwareVersion softwareVersion(VersionProperties properties) {
        return new SoftwareVersion(domain, ServerFeatures.SERVER_NAME, properties.effectiveVersion(), properties.os());
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public VCardStore vCardStore(DataSource dataSource) {
        return new JdbcVCardStore(dataSource);
    }

    @Bean
    public VCardTemp vCardTemp(VCardStore store, VCardProperties properties) {
        return new VCardTemp(domain, store, properties.maxBytes());
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public PrivateStore privateStore(DataSource dataSource) {
        return new JdbcPrivateStore(dataSource);
    }

    @Bean
    public PrivateXmlStorage privateXmlStorage(PrivateStore store, PrivateStorageProperties properties) {
        return new PrivateXmlStorage(domain, store, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public LastActivityStore lastActivityStore(DataSource dataSource) {
        return new JdbcLastActivityStore(dataSource);
    }

    @Bean
    public LastActivity lastActivity(LastActivityStore store, SessionRegistry sessions, AccountVisibility visibility) {
        return new LastActivity(domain, store, sessions, visibility, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean(BlockListStore.class)
    @DependsOnDatabaseInitialization
    public CachingBlockListStore blockListStore(DataSource dataSource, BlockListCacheProperties cache,
                                                ObjectProvider<BlockListChanges> changes) {
        return new CachingBlockListStore(new JdbcBlockListStore(dataSource), cache.ttl(), cache.size(),
                changes.getIfAvailable(() -> BlockListChanges.NONE));
    }

    @Bean
    public BlockingCommand blockingCommand(BlockListStore store, SessionRegistry sessions, StanzaBus bus,
                                           SubscriptionLookup subscriptions, PresenceSender presence) {
        return new BlockingCommand(domain, store, sessions, bus, subscriptions, presence);
    }

    @Bean
    public BlockingFilter blockingFilter(BlockListStore store) {
        return new BlockingFilter(domain, store);
    }

    @Bean
    public AccountRegistrationHandler accountRegistrationHandler(Accounts accounts, ObjectProvider<AccountListener> listeners,
                                                                 SessionRegistry sessions, StanzaBus bus,
                                                                 RegistrationProperties properties) {
        return new AccountRegistrationHandler(domain, accounts, listeners.orderedStream().toList(), sessions, bus, properties);
    }
}
