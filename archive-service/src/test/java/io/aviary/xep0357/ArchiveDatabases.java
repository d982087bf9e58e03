package io.aviary.xep0357;

import io.aviary.jdbctest.PostgresDatabase;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Fresh databases with the archive service's schema, migrated as the design of the archive service says (its own
 * history table, {@code classpath:db/archive}, baseline 0), until the store's {@code ArchiveSchema} is there to call.
 */
final class ArchiveDatabases {

    private ArchiveDatabases() {
    }

    static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:push-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return migrated(dataSource);
    }

    static DataSource postgres() {
        return migrated(PostgresDatabase.create().dataSource());
    }

    private static DataSource migrated(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).table("archive_schema_history").locations("classpath:db/archive")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return dataSource;
    }
}
