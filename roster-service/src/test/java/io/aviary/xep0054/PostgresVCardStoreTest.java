package io.aviary.xep0054;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The XEP-0054 vCard store contract on PostgreSQL, migrated by the same Flyway scripts. */
class PostgresVCardStoreTest extends JdbcVCardStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
