package io.aviary.xep0060;

class InMemoryPubsubStoreTest extends PubsubStoreContract {

    @Override
    protected PubsubStore newStore() {
        return new InMemoryPubsubStore();
    }
}
