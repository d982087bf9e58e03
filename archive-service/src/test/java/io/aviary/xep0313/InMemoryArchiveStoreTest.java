package io.aviary.xep0313;

class InMemoryArchiveStoreTest extends ArchiveStoreContract {

    @Override
    protected ArchiveStore newStore() {
        return new InMemoryArchiveStore();
    }
}
