package io.aviary.xep0191;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The XEP-0191 block list store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcBlockListStoreTest extends BlockListStoreContract {

    @Override
    protected BlockListStore newStore() {
        return new JdbcBlockListStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
