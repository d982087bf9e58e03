package io.aviary.xep0357;

/** The registration store contract on PostgreSQL with the archive schema, as a cluster runs it. */
class PostgresPushRegistrationStoreTest extends PushRegistrationStoreContract {

    @Override
    protected PushRegistrationStore newStore() {
        return new JdbcPushRegistrationStore(ArchiveDatabases.postgres());
    }
}
