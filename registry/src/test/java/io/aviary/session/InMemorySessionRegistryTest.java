package io.aviary.session;

class InMemorySessionRegistryTest extends SessionRegistryContract {

    @Override
    protected SessionRegistry registry() {
        return new InMemorySessionRegistry();
    }
}
