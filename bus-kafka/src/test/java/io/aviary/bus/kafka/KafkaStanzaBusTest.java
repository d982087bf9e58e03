package io.aviary.bus.kafka;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.StanzaBusContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The bus contract against a real (in-JVM KRaft) broker. */
class KafkaStanzaBusTest extends StanzaBusContract {

    private static KafkaStanzaBus bus;

    @BeforeAll
    static void start() {
        bus = new KafkaStanzaBus(EmbeddedBroker.properties("concurrency", "2"));
        bus.start();
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @Override
    protected StanzaBus bus() {
        return bus;
    }
}
