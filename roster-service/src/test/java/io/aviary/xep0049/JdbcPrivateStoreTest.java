package io.aviary.xep0049;

import io.aviary.jdbctest.MigratedDatabase;

class JdbcPrivateStoreTest extends PrivateStoreContract {

    @Override
    protected PrivateStore newStore() {
        return new JdbcPrivateStore(MigratedDatabase.create());
    }
}
