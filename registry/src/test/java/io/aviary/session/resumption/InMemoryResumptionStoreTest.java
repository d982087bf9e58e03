package io.aviary.session.resumption;

class InMemoryResumptionStoreTest extends ResumptionStoreContract {

    @Override
    protected ResumptionStore store() {
        return new InMemoryResumptionStore();
    }
}
