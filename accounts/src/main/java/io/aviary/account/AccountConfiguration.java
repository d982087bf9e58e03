package io.aviary.account;

import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.EventSink;
import io.aviary.capability.EventType;
import io.aviary.service.SubscriptionLookup;
import io.aviary.xep0401.InvitationStore;
import io.aviary.xep0401.Invitations;
import io.aviary.xep0401.JdbcInvitationStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * Accounts for every tier that needs them: the store on the application's {@link DataSource} (table
 * {@code accounts}, migration {@code V1__accounts}), the {@link Accounts} service over it and XEP-0077
 * registration before login, which the gateway offers only when {@code aviary.gateway.registration-open}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@EnableConfigurationProperties({AccountProperties.class, InvitationProperties.class})
public class AccountConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public AccountStore accountStore(DataSource dataSource) {
        return new JdbcAccountStore(dataSource);
    }

    /** XEP-0484 FAST tokens (hashes only), table {@code fast_tokens}, migration {@code V17__fast_tokens}. */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public FastTokenStore fastTokenStore(DataSource dataSource) {
        return new JdbcFastTokenStore(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    public Accounts accounts(AccountStore accountStore, AccountProperties properties, FastTokenStore fastTokens) {
        return new Accounts(accountStore, properties.scramIterations(), new SecureRandom(), fastTokens);
    }

    /** Who may learn that an account exists; the roster capability, where it runs, says who sees its presence. */
    @Bean
    @ConditionalOnMissingBean
    public AccountVisibility accountVisibility(AccountStore accounts, ObjectProvider<SubscriptionLookup> subscriptions) {
        return new AccountVisibility(accounts, Optional.ofNullable(subscriptions.getIfAvailable()));
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public InvitationStore invitationStore(DataSource dataSource) {
        return new JdbcInvitationStore(dataSource);
    }

    /** Invitations (XEP-0401): on unless {@code aviary.invitations.enabled=false}. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "aviary.invitations", name = "enabled", matchIfMissing = true)
    public Invitations invitations(InvitationStore store, @Value("${aviary.domain:localhost}") String domain) {
        return new Invitations(store, JidCreate.domainBareFromOrThrowUnchecked(domain), Clock.systemUTC());
    }

    /**
     * Registration before login (XEP-0077), also with an invitation's token (XEP-0445) where invitations are on; an
     * accepted invitation is told to the server's capabilities (the roster makes the two mutual contacts).
     */
    @Bean
    @ConditionalOnMissingBean
    public InBandRegistration inBandRegistration(Accounts accounts, AccountProperties properties,
                                                 ObjectProvider<Invitations> invitations,
                                                 ObjectProvider<CapabilityRegistry> capabilities) {
        EventSink events = new EventSink() {
            @Override
            public <T> void emit(EventType<T> event, T payload) {
                capabilities.ifAvailable(registry -> registry.emit(event, payload));
            }
        };
        return new InBandRegistration(accounts, InBandRegistration.DEFAULT_INSTRUCTIONS, invitations.getIfAvailable(),
                events, properties.tombstoneExpiry());
    }
}
