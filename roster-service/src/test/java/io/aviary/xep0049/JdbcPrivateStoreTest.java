package io.aviary.xep0049;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The XEP-0049 private storage contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcPrivateStoreTest extends PrivateStoreContract {

    @Override
    protected PrivateStore newStore() {
        return new JdbcPrivateStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
