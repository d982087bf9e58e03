package io.aviary.xep0012;

import io.aviary.jdbctest.MigratedDatabase;

class JdbcLastActivityStoreTest extends LastActivityStoreContract {

    @Override
    protected LastActivityStore newStore() {
        return new JdbcLastActivityStore(MigratedDatabase.create());
    }
}
