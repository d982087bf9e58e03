package io.aviary.account;

class InMemoryAccountStoreTest extends AccountStoreContract {

    @Override
    protected AccountStore newStore() {
        return new InMemoryAccountStore();
    }
}
