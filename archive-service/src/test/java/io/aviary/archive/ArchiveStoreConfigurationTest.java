package io.aviary.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xep0313.ArchiveStore;
import io.aviary.xep0313.InMemoryArchiveStore;
import io.aviary.xep0313.JdbcArchiveStore;
import io.aviary.xep0313.RocksDbArchiveStore;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;

class ArchiveStoreConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                    ArchiveStoreConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:archive-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.flyway.locations=classpath:db/apptest");

    @Test
    void theArchiveSchemaMigratesNextToTheApplicationsFlyway() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ArchiveStore.class)).isInstanceOf(JdbcArchiveStore.class);
            JdbcClient jdbc = JdbcClient.create(context.getBean(DataSource.class));
            // The application's Flyway ran first, on an empty schema, and the archive's baselined after it (then V1, V2...).
            assertThat(jdbc.sql("SELECT COUNT(*) FROM app_things").query(Integer.class).single()).isZero();
            assertThat(jdbc.sql("SELECT \"version\" FROM \"archive_schema_history\""
                            + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")
                    .query(String.class).list()).startsWith("0", "1");
            assertThat(jdbc.sql("SELECT COUNT(*) FROM archive_messages").query(Integer.class).single()).isZero();
        });
    }

    @Test
    void anArchiveStoreOfTheApplicationWins() {
        runner.withBean(ArchiveStore.class, InMemoryArchiveStore::new)
                .run(context -> assertThat(context.getBean(ArchiveStore.class)).isInstanceOf(InMemoryArchiveStore.class));
    }

    @Test
    void withTheArchiveOffAndNoFilesFromBeforeNoRocksDbIsOpened(@TempDir Path dataDir) {
        Path directory = dataDir.resolve("archive-messages");
        runner.withPropertyValues("aviary.archive.store=rocksdb", "aviary.archive.directory=" + directory,
                        "aviary.capabilities.mam.enabled=false")
                .run(context -> {
                    assertThat(context.getBean(ArchiveStore.class)).isInstanceOf(InMemoryArchiveStore.class);
                    assertThat(directory).doesNotExist();
                });
    }

    @Test
    void withTheArchiveOffTheFilesOfBeforeAreOpenedForRetentionToSweep(@TempDir Path dataDir) {
        Path directory = dataDir.resolve("archive-messages");
        runner.withPropertyValues("aviary.archive.store=rocksdb", "aviary.archive.directory=" + directory)
                .run(context -> assertThat(context.getBean(ArchiveStore.class)).isInstanceOf(RocksDbArchiveStore.class));
        assertThat(directory).isDirectory();
        runner.withPropertyValues("aviary.archive.store=rocksdb", "aviary.archive.directory=" + directory,
                        "aviary.capabilities.mam.enabled=false")
                .run(context -> assertThat(context.getBean(ArchiveStore.class)).isInstanceOf(RocksDbArchiveStore.class));
    }

    @Test
    void withoutADatabaseThereIsNoStore() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ArchiveStoreConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(ArchiveStore.class));
    }
}
