package io.aviary.xep0357;

/** The registration store contract on H2 with the archive schema, as the standalone app runs it. */
class JdbcPushRegistrationStoreTest extends PushRegistrationStoreContract {

    @Override
    protected PushRegistrationStore newStore() {
        return new JdbcPushRegistrationStore(ArchiveDatabases.h2());
    }
}
