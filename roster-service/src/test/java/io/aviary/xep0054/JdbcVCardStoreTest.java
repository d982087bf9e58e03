package io.aviary.xep0054;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;

/** The XEP-0054 vCard store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcVCardStoreTest extends VCardStoreContract {

    @Override
    protected VCardStore newStore() {
        return new JdbcVCardStore(database());
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }
}
