package io.aviary.xep0012;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The XEP-0012 last activity store contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresLastActivityStoreTest extends JdbcLastActivityStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
