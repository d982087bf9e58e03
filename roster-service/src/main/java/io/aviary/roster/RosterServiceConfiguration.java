package io.aviary.roster;

import io.aviary.account.AccountStore;
import io.aviary.account.Accounts;
import io.aviary.account.JdbcAccountStore;
import io.aviary.xep0077.InBandRegistration;
import java.security.SecureRandom;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * The roster service's beans: the account store on the application's {@link DataSource}
 * (migrated by Flyway from {@code db/migration}), the {@link Accounts} service over it, and
 * XEP-0077 registration, which the gateway offers only when {@code aviary.gateway.registration-open}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties(AccountProperties.class)
public class RosterServiceConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public AccountStore accountStore(DataSource dataSource) {
        return new JdbcAccountStore(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    public Accounts accounts(AccountStore accountStore, AccountProperties properties) {
        return new Accounts(accountStore, properties.scramIterations(), new SecureRandom());
    }

    @Bean
    @ConditionalOnMissingBean
    public InBandRegistration inBandRegistration(Accounts accounts) {
        return new InBandRegistration(accounts);
    }
}
