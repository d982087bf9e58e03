package io.aviary.presence;

class InMemoryPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore newStore() {
        return new InMemoryPresenceStore();
    }
}
