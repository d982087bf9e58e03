package io.aviary.bus;

import org.junit.jupiter.api.AfterEach;

class InProcessBusTest extends StanzaBusContract {

    private final InProcessBus bus = new InProcessBus(4);

    @Override
    protected StanzaBus bus() {
        return bus;
    }

    @AfterEach
    void close() {
        bus.close();
    }
}
