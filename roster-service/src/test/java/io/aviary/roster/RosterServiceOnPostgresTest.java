package io.aviary.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.jdbctest.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
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
                .query(String.class).list()).containsExactlyElementsOf(migrationsOnTheClasspath());
    }

    /** Every versioned migration the roster service's classpath carries (its own and its dependencies'), in version order. */
    private static List<String> migrationsOnTheClasspath() {
        try {
            PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
            Resource[] common = resolver.getResources("classpath*:db/migration/V*__*.sql");
            Resource[] vendor = resolver.getResources("classpath*:db/vendor/postgresql/V*__*.sql");
            List<String> versions = Stream.concat(Arrays.stream(common), Arrays.stream(vendor)).map(Resource::getFilename).filter(Objects::nonNull)
                    .map(name -> name.substring(1, name.indexOf("__"))).distinct()
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))).toList();
            assertThat(versions).as("migrations found on the classpath").contains("1", "2", "3");
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
