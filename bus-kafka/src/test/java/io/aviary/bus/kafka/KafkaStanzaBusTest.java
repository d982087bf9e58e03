package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.StanzaBusContract;
import org.junit.jupiter.api.AfterAll;
import io.aviary.xmpp.xml.XmlFragment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * A broker names itself leader of a new partition a moment before it takes it on; records sent in that moment must
     * not be lost (KAFKA-15591: the idempotent producer's refused first request is never written after its second).
     * Each round publishes at once to a topic the bus has just created.
     */
    @Test
    void whatIsPublishedAtOnceToANewTopicArrives() throws Exception {
        int rounds = 12;
        int perKey = 60;
        CountDownLatch all = new CountDownLatch(rounds * 8 * perKey);
        List<StanzaBus.Subscription> subscriptions = new CopyOnWriteArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                String fresh = topic + "-" + round;
                for (int i = 0; i < perKey; i++) {
                    for (int k = 0; k < 8; k++) {
                        bus.publish(fresh, "user" + k + "@example.com", numbered("user" + k + "@example.com", i));
                    }
                }
                subscriptions.add(bus.subscribe(fresh, "fresh", m -> all.countDown()));
            }
            await(all);
        } finally {
            subscriptions.forEach(StanzaBus.Subscription::close);
        }
    }

    @Test
    void aHeldRecordIsHandedToTheNextConsumerOfItsGroupUntilReleased() throws Exception {
        List<Integer> first = new CopyOnWriteArrayList<>();
        List<StanzaBus.Hold> holds = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(4);
        StanzaBus.Subscription subscription = bus.subscribe(topic, "holding", m -> {
            first.add(number(m));
            if (number(m) == 1) {
                holds.add(bus.hold().orElseThrow());
            }
            handled.countDown();
        });
        for (int i = 0; i < 4; i++) {
            bus.publish(topic, "romeo@example.com", numbered("romeo@example.com", i));
        }
        await(handled);
        assertThat(first).containsExactly(0, 1, 2, 3);
        assertThat(bus.hold()).as("outside a handler").isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bus.consumerLag(Duration.ofSeconds(10)))
                        .as("the commit stops at the held record").contains(new StanzaBus.ConsumerLag("holding", topic, 3)));
        subscription.close(); // as if the process stopped with the record still held

        // Another process: this one's bus remembers what it handled and would drop the records as duplicates.
        List<Integer> second = new CopyOnWriteArrayList<>();
        CountDownLatch again = new CountDownLatch(3);
        try (KafkaStanzaBus other = new KafkaStanzaBus(EmbeddedBroker.properties("concurrency", "2"));
             StanzaBus.Subscription successor = other.subscribe(topic, "holding", m -> {
                 second.add(number(m));
                 again.countDown();
             })) {
            await(again);
            assertThat(second).as("the held record and those after it").containsExactly(1, 2, 3);
            holds.forEach(StanzaBus.Hold::release); // too late to matter: the first consumer gave the partition up
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(bus.consumerLag(Duration.ofSeconds(10))).contains(new StanzaBus.ConsumerLag("holding", topic, 0)));
        }
    }

    @Test
    void aHoldReleasedWhileNoRecordsComeIsCommitted() throws Exception {
        List<StanzaBus.Hold> holds = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(2);
        StanzaBus.Subscription subscription = bus.subscribe(topic, "releasing", m -> {
            bus.hold().ifPresent(holds::add);
            handled.countDown();
        });
        try {
            bus.publish(topic, "juliet@example.com", numbered("juliet@example.com", 0));
            bus.publish(topic, "juliet@example.com", numbered("juliet@example.com", 1));
            await(handled);
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(bus.consumerLag(Duration.ofSeconds(10))).contains(new StanzaBus.ConsumerLag("releasing", topic, 2)));
            holds.get(1).release(); // the later one first: the commit still stops at the earlier
            Thread.sleep(2_500); // more than the idle commit interval: a wrong commit would have happened by now
            assertThat(bus.consumerLag(Duration.ofSeconds(10))).contains(new StanzaBus.ConsumerLag("releasing", topic, 2));
            holds.get(0).release();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(bus.consumerLag(Duration.ofSeconds(10))).contains(new StanzaBus.ConsumerLag("releasing", topic, 0)));
        } finally {
            subscription.close();
        }
    }
}
