package io.aviary.xep0054;

class InMemoryVCardStoreTest extends VCardStoreContract {

    @Override
    protected VCardStore newStore() {
        return new InMemoryVCardStore();
    }
}
