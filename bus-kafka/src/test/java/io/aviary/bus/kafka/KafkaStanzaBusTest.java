package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.StanzaBusContract;
import org.junit.jupiter.api.AfterAll;
import io.aviary.xmpp.xml.XmlFragment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void consumerLagIsWhatAGroupHasNotHandledYet() throws Exception {
        CountDownLatch handled = new CountDownLatch(3);
        StanzaBus.Subscription subscription = bus.subscribe(topic, "lagging", m -> handled.countDown());
        for (int i = 0; i < 3; i++) {
            bus.publish(topic, "key-" + i, BusMessage.of(XmlFragment.parse("<message xmlns='jabber:client' id='" + i + "'/>")));
        }
        await(handled);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bus.consumerLag(Duration.ofSeconds(10)))
                        .contains(new StanzaBus.ConsumerLag("lagging", topic, 0)));
        subscription.close();
        for (int i = 0; i < 4; i++) {
            bus.publish(topic, "key-" + i, BusMessage.of(XmlFragment.parse("<message xmlns='jabber:client' id='x" + i + "'/>")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bus.consumerLag(Duration.ofSeconds(10)))
                        .contains(new StanzaBus.ConsumerLag("lagging", topic, 4)));
    }
}
