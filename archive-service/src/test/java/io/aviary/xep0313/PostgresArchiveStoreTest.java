package io.aviary.xep0313;

import io.aviary.archive.ArchiveSchema;
import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The archive store contract on PostgreSQL, migrated by the same ArchiveSchema: one database for the class (creating
 * one per test cost seconds each), emptied before every test.
 */
class PostgresArchiveStoreTest extends JdbcArchiveStoreTest {

    private static DataSource shared;

    @Override
    DataSource database() {
        if (shared == null) {
            shared = PostgresDatabase.create().dataSource();
            ArchiveSchema.migrate(shared);
        }
        JdbcClient.create(shared).sql("TRUNCATE archive_messages, archive_preferences, archive_preference_jids").update();
        return shared;
    }
}
