package io.aviary.xep0049;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The XEP-0049 private storage contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresPrivateStoreTest extends JdbcPrivateStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
