package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The same wiring with {@code spring.datasource.url} on PostgreSQL: Spring Boot's Flyway migrates it, the stores use it. */
class RosterServiceOnPostgresTest extends RosterServiceConfigurationTest {

    @Override
    String[] datasource() {
        return PostgresDatabase.create().springProperties();
    }

    @Test
    void flywayMigratesThePostgresDatabaseAtStartupWithItsOwnMigrations() {
        context().run(ctx -> assertMigrated(ctx.getBean(DataSource.class)));
    }

    @Test
    void locationsThatAlreadyNameTheVendorFolderAreLeftAlone() {
        context().withPropertyValues("spring.flyway.locations=classpath:db/migration,classpath:db/vendor/{vendor}")
                .run(ctx -> assertMigrated(ctx.getBean(DataSource.class)));
    }

    private static void assertMigrated(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
        assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class).list()).containsExactly("1", "2", "3", "10", "11", "12", "13", "14", "15", "16", "17");
    }
}
