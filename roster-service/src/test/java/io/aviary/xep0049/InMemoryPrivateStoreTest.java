package io.aviary.xep0049;

class InMemoryPrivateStoreTest extends PrivateStoreContract {

    @Override
    protected PrivateStore newStore() {
        return new InMemoryPrivateStore();
    }
}
