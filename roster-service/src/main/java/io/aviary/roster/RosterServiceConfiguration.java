package io.aviary.roster;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.Location;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The durable state's schema: every module's Flyway migrations in {@code db/migration} (the roster service has
 * them all on its class path and runs them in a cluster), and on PostgreSQL also {@code db/vendor/postgresql}.
 */
@AutoConfiguration(after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
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
}
