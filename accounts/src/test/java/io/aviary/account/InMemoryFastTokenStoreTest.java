package io.aviary.account;

class InMemoryFastTokenStoreTest extends FastTokenStoreContract {

    @Override
    protected FastTokenStore newStore(AccountStore accounts) {
        return new InMemoryFastTokenStore();
    }

    @Override
    protected AccountStore newAccountStore() {
        return new InMemoryAccountStore();
    }
}
