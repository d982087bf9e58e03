package io.aviary.xep0313;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The archive store contract on PostgreSQL, migrated by the same ArchiveSchema. */
class PostgresArchiveStoreTest extends JdbcArchiveStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.create().dataSource();
    }
}
