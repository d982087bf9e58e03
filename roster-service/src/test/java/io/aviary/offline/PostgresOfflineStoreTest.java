package io.aviary.offline;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The offline store contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresOfflineStoreTest extends JdbcOfflineStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
