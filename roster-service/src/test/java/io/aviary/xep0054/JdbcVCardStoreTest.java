package io.aviary.xep0054;

import io.aviary.jdbctest.MigratedDatabase;

class JdbcVCardStoreTest extends VCardStoreContract {

    @Override
    protected VCardStore newStore() {
        return new JdbcVCardStore(MigratedDatabase.create());
    }
}
