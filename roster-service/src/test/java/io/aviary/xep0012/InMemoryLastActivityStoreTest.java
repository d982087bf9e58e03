package io.aviary.xep0012;

class InMemoryLastActivityStoreTest extends LastActivityStoreContract {

    @Override
    protected LastActivityStore newStore() {
        return new InMemoryLastActivityStore();
    }
}
