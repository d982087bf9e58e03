package io.aviary.xep0357;

class InMemoryPushRegistrationStoreTest extends PushRegistrationStoreContract {

    @Override
    protected PushRegistrationStore newStore() {
        return new InMemoryPushRegistrationStore();
    }
}
