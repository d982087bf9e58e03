package io.aviary.xep0012;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The XEP-0012 last activity store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcLastActivityStoreTest extends LastActivityStoreContract {

    @Override
    protected LastActivityStore newStore() {
        return new JdbcLastActivityStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
