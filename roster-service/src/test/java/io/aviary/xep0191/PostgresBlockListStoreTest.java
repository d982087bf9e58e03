package io.aviary.xep0191;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The XEP-0191 block list store contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresBlockListStoreTest extends JdbcBlockListStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
