package io.aviary.roster;

import io.aviary.account.AccountStore;
import io.aviary.account.Accounts;
import io.aviary.account.JdbcAccountStore;
import io.aviary.xep0077.InBandRegistration;
import java.security.SecureRandom;
import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.Location;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The roster service's beans: the account store on the application's {@link DataSource}
 * (migrated by Flyway from {@code db/migration}, and on PostgreSQL also {@code db/vendor/postgresql}),
 * the {@link Accounts} service over it, and
 * XEP-0077 registration, which the gateway offers only when {@code aviary.gateway.registration-open}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties(AccountProperties.class)
public class RosterServiceConfiguration {

    /** Where the few migrations live that only PostgreSQL needs (its btree index entry limit). */
    static final String POSTGRESQL_MIGRATIONS = "classpath:db/vendor/postgresql";

    /**
     * Adds {@link #POSTGRESQL_MIGRATIONS} to Flyway's locations when the database is PostgreSQL, so
     * nobody has to configure {@code spring.flyway.locations}; a configuration that already names it
     * (for example as {@code db/vendor/{vendor}}) is left alone.
     */
    @Bean
    public FlywayConfigurationCustomizer postgresqlMigrations() {
        Location postgresql = new Location(POSTGRESQL_MIGRATIONS);
        return flyway -> {
            boolean named = Arrays.stream(flyway.getLocations()).anyMatch(postgresql::equals);
            if (!named && isPostgresql(flyway.getDataSource())) {
                flyway.locations(Stream.concat(Arrays.stream(flyway.getLocations()), Stream.of(postgresql))
                        .toArray(Location[]::new));
            }
        };
    }

    private static boolean isPostgresql(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
            return DatabaseDriver.fromProductName(product) == DatabaseDriver.POSTGRESQL;
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database Flyway migrates", e);
        }
    }

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
