package io.aviary.account;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The account store contract, and the JDBC-specific checks, on PostgreSQL migrated by the same Flyway scripts. */
class PostgresAccountStoreTest extends JdbcAccountStoreTest {

    @Override
    DataSource database() {
        return PostgresDatabase.migrated().dataSource();
    }
}
