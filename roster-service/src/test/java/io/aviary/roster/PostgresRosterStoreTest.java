package io.aviary.roster;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The roster store contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresRosterStoreTest extends JdbcRosterStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
