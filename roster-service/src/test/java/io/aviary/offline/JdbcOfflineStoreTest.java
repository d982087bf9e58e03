package io.aviary.offline;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The offline store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcOfflineStoreTest extends OfflineStoreContract {

    @Override
    protected OfflineStore newStore() {
        return new JdbcOfflineStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
