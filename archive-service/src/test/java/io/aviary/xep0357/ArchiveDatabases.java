package io.aviary.xep0357;

import io.aviary.archive.ArchiveSchema;
import io.aviary.jdbctest.PostgresDatabase;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Fresh databases with the archive service's schema, migrated by {@link ArchiveSchema}.
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
        ArchiveSchema.migrate(dataSource);
        return dataSource;
    }
}
