package io.aviary.xep0191;

import io.aviary.jdbctest.MigratedDatabase;

class JdbcBlockListStoreTest extends BlockListStoreContract {

    @Override
    protected BlockListStore newStore() {
        return new JdbcBlockListStore(MigratedDatabase.create());
    }
}
