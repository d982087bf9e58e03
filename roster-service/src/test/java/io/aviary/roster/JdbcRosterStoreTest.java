package io.aviary.roster;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The roster store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcRosterStoreTest extends RosterStoreContract {

    @Override
    protected RosterStore newStore() {
        return new JdbcRosterStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
