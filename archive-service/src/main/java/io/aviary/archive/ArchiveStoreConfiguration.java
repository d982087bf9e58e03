package io.aviary.archive;

import io.aviary.account.AccountConfiguration;
import io.aviary.account.AccountStore;
import io.aviary.capability.spring.OnCapabilityCondition;
import io.aviary.xep0313.ArchiveStore;
import io.aviary.xep0313.InMemoryArchiveStore;
import io.aviary.xep0313.JdbcArchiveStore;
import io.aviary.xep0313.RocksDbArchiveStore;
import java.nio.file.Files;
import java.time.Clock;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The message archives on the application's database: migrates their schema ({@link ArchiveSchema}), provides the
 * {@link JdbcArchiveStore} (or the {@link RocksDbArchiveStore} the standalone app asks for) and runs {@link ArchiveRetention} ({@code aviary.archive.retention.*}).
 */
@AutoConfiguration(after = AccountConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(ArchiveProperties.class)
public class ArchiveStoreConfiguration {

    /**
     * After the application's own Flyway (when it has one): an archive migration that ran first would leave that Flyway
     * a non-empty schema without its history, which it refuses to migrate.
     */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    public ArchiveDatabase archiveDatabase(DataSource dataSource, ArchiveProperties properties) {
        if (properties.databaseUrl() == null) {
            return ArchiveDatabase.migrated(dataSource, false);
        }
        return ArchiveDatabase.migrated(DataSourceBuilder.create().url(properties.databaseUrl()).build(), true);
    }

    /**
     * On the archive's database, or in RocksDB files ({@code aviary.archive.store=rocksdb}, the standalone app's). With
     * the archive switched off and no files from before, nothing is archived and retention has nothing to sweep: the
     * store is then an empty one in memory, and RocksDB's native library (about 10 MB resident) is not loaded.
     */
    @Bean
    @ConditionalOnMissingBean
    public ArchiveStore archiveStore(ArchiveDatabase database, ArchiveProperties properties, Environment environment) {
        if (properties.store() != ArchiveProperties.Store.ROCKSDB) {
            return new JdbcArchiveStore(database.dataSource());
        }
        if (!OnCapabilityCondition.enabled(environment, "mam") && !Files.isDirectory(properties.directory())) {
            return new InMemoryArchiveStore();
        }
        return new RocksDbArchiveStore(properties.directory());
    }

    @Bean
    @ConditionalOnBean(AccountStore.class)
    public ArchiveRetention archiveRetention(ArchiveStore store, AccountStore accounts, DomainBareJid domain,
                                             ArchiveProperties properties) {
        return new ArchiveRetention(store, accounts, domain.toString(), properties.retention(), Clock.systemUTC());
    }
}
