package io.aviary.account;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The FAST token store contract on PostgreSQL migrated by the same Flyway scripts. */
class PostgresFastTokenStoreTest extends JdbcFastTokenStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
