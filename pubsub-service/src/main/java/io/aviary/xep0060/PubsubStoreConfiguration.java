package io.aviary.xep0060;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * The publish-subscribe store: on the application's database (the standalone app's embedded H2, PostgreSQL in a
 * cluster), migrated by {@link PubsubSchema}; in memory when the application has no database.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
public class PubsubStoreConfiguration {

    /** After the application's own Flyway, for the reason ArchiveStoreConfiguration gives. */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public PubsubStore pubsubStore(ObjectProvider<DataSource> dataSource) {
        DataSource source = dataSource.getIfAvailable();
        if (source == null) {
            return new InMemoryPubsubStore();
        }
        PubsubSchema.migrate(source);
        return new JdbcPubsubStore(source);
    }

    /**
     * The roster capability's table, read-only, for the presence and roster access models and PEP's notifications;
     * nobody's roster without a database.
     */
    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public RosterContacts rosterContacts(ObjectProvider<DataSource> dataSource) {
        DataSource source = dataSource.getIfAvailable();
        return source == null ? RosterContacts.NONE : new JdbcRosterContacts(source);
    }
}
