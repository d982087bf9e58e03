package io.aviary.xep0191;

class InMemoryBlockListStoreTest extends BlockListStoreContract {

    @Override
    protected BlockListStore newStore() {
        return new InMemoryBlockListStore();
    }
}
