package io.aviary.offline;

class InMemoryOfflineStoreTest extends OfflineStoreContract {

    @Override
    protected OfflineStore newStore() {
        return new InMemoryOfflineStore();
    }
}
