package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;

/** What the Kafka bus promises beyond the contract: at-least-once across consumers, no duplicates, topics. */
class KafkaDeliveryTest {

    private static final long WAIT_SECONDS = 120; // a liveness bound for loaded CI machines, not a speed target

    private final String topic = "delivery-" + UUID.randomUUID();

    private static BusMessage numbered(int n) {
        return BusMessage.of(XmlElement.builder("message", "jabber:client")
                .attribute("to", "juliet@example.com").attribute("id", String.valueOf(n)).build());
    }

    private static int number(BusMessage message) {
        return Integer.parseInt(message.stanza().attributeOrNull("id"));
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("deliveries arrived in time").isTrue();
    }

    @Test
    void aRestartedConsumerGetsWhatWasPublishedWhileItWasDownButNothingItHandled() throws Exception {
        KafkaBusProperties properties = EmbeddedBroker.properties();
        List<Integer> beforeRestart = new CopyOnWriteArrayList<>();
        List<Integer> afterRestart = new CopyOnWriteArrayList<>();
        try (KafkaStanzaBus publisher = new KafkaStanzaBus(properties)) {
            try (KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
                CountDownLatch five = new CountDownLatch(5);
                first.subscribe(topic, "router", m -> { beforeRestart.add(number(m)); five.countDown(); });
                for (int i = 1; i <= 5; i++) {
                    publisher.publish(topic, "juliet@example.com", numbered(i));
                }
                await(five);
            }
            for (int i = 6; i <= 10; i++) {
                publisher.publish(topic, "juliet@example.com", numbered(i));
            }
            try (KafkaStanzaBus restarted = new KafkaStanzaBus(properties)) {
                CountDownLatch rest = new CountDownLatch(5);
                restarted.subscribe(topic, "router", m -> { afterRestart.add(number(m)); rest.countDown(); });
                await(rest);
                Thread.sleep(1_000);
            }
        }
        assertThat(beforeRestart).containsExactly(1, 2, 3, 4, 5);
        assertThat(afterRestart).containsExactly(6, 7, 8, 9, 10);
    }

    /**
     * What a handler keeps about the keys it was handed (the archive's preferences) is forgotten before it handles a
     * record of a share it was handed anew: at its first assignment, and at the one after another consumer left.
     */
    @Test
    void aConsumerHandedANewShareRunsItsReassignmentTasksBeforeItsRecords() throws Exception {
        KafkaBusProperties properties = EmbeddedBroker.properties("concurrency", "1");
        List<String> events = new CopyOnWriteArrayList<>();
        try (KafkaStanzaBus publisher = new KafkaStanzaBus(properties);
             KafkaStanzaBus second = new KafkaStanzaBus(properties)) {
            try (KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
                first.whenReassigned(topic, "archive", () -> events.add("first reassigned"));
                CountDownLatch one = new CountDownLatch(1);
                first.subscribe(topic, "archive", m -> { events.add("first handled " + number(m)); one.countDown(); });
                publisher.publish(topic, "juliet@example.com", numbered(1));
                await(one);
                assertThat(events).startsWith("first reassigned", "first handled 1");
                second.whenReassigned(topic, "archive", () -> events.add("second reassigned"));
                second.whenReassigned(topic, "another group", () -> events.add("not this group's"));
            }
            CountDownLatch two = new CountDownLatch(1);
            second.subscribe(topic, "archive", m -> { events.add("second handled " + number(m)); two.countDown(); });
            publisher.publish(topic, "juliet@example.com", numbered(2));
            await(two);
        }
        assertThat(events).doesNotContain("not this group's");
        // The group may rebalance more than once as the second joins; each time before what it hands over.
        assertThat(events.subList(events.indexOf("first handled 1") + 1, events.size()))
                .containsOnly("second reassigned", "second handled 2")
                .startsWith("second reassigned").endsWith("second handled 2");
    }

    @Test
    void aRecordWhoseHandlerNeverReturnedIsRedeliveredToTheNextConsumer() throws Exception {
        // A stuck handler loses its partition after max-poll-interval, like a crashed process would.
        KafkaBusProperties properties = EmbeddedBroker.properties("max-poll-interval", "3s", "concurrency", "1");
        List<Integer> firstHandled = new CopyOnWriteArrayList<>();
        List<Integer> secondHandled = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
            first.subscribe(topic, "router", m -> {
                if (number(m) == 6) {
                    stuck.countDown();
                    awaitQuietly(release);
                }
                firstHandled.add(number(m));
            });
            for (int i = 1; i <= 10; i++) {
                first.publish(topic, "juliet@example.com", numbered(i));
            }
            await(stuck);
            try (KafkaStanzaBus second = new KafkaStanzaBus(properties)) {
                CountDownLatch rest = new CountDownLatch(5);
                second.subscribe(topic, "router", m -> { secondHandled.add(number(m)); rest.countDown(); });
                await(rest);
                Thread.sleep(1_000);
            } finally {
                release.countDown();
            }
        }
        assertThat(firstHandled).startsWith(1, 2, 3, 4, 5);
        // Offsets are committed per poll: the next consumer gets everything after the last commit, in order,
        // so it may see again some of what the stuck one had handled before the record it never finished.
        assertThat(secondHandled).endsWith(6, 7, 8, 9, 10);
        int first = secondHandled.get(0);
        assertThat(secondHandled).isEqualTo(IntStream.rangeClosed(first, 10).boxed().toList());
    }

    @Test
    void whatAnotherRouterRoutesAgainAfterTheFirstStalledReachesTheGatewayOnce() throws Exception {
        // The first router publishes the delivery of record 6, then stalls before its offsets are committed (as if
        // it had died): the second router routes 6 (and maybe a few before it) again. The gateway gets both.
        KafkaBusProperties properties = EmbeddedBroker.properties("max-poll-interval", "3s", "concurrency", "1");
        String gatewayTopic = "gateway-" + UUID.randomUUID();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch tenth = new CountDownLatch(1);
        try (KafkaStanzaBus gateway = new KafkaStanzaBus(properties);
             KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
            gateway.subscribe(gatewayTopic, "gateway", m -> {
                delivered.add(number(m));
                if (number(m) == 10) {
                    tenth.countDown();
                }
            });
            first.subscribe(topic, "router", m -> {
                first.publish(gatewayTopic, "juliet@example.com", delivery(m));
                if (number(m) == 6) {
                    stuck.countDown();
                    awaitQuietly(release);
                }
            });
            for (int i = 1; i <= 10; i++) {
                first.publish(topic, "juliet@example.com", numbered(i));
            }
            await(stuck);
            try (KafkaStanzaBus second = new KafkaStanzaBus(properties)) {
                second.subscribe(topic, "router", m -> second.publish(gatewayTopic, "juliet@example.com", delivery(m)));
                await(tenth);
                Thread.sleep(1_000);
            } finally {
                release.countDown();
            }
        }
        assertThat(delivered).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void aConsumerThatStopsWaitsForARecordHeldAMomentSoItsSuccessorStartsAfterIt() throws Exception {
        // As the archive's write-behind: every record is held until a batch write on another thread releases it, a
        // moment later. The consumer stops while the last records are still held; it waits for them, commits them,
        // and the next consumer starts after them instead of writing them again beside the first one's late batch.
        KafkaBusProperties properties = EmbeddedBroker.properties("concurrency", "1");
        List<Integer> secondHandled = new CopyOnWriteArrayList<>();
        List<Integer> released = new CopyOnWriteArrayList<>();
        CountDownLatch allHandled = new CountDownLatch(10);
        java.util.concurrent.ScheduledExecutorService later =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            try (KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
                first.subscribe(topic, "archive", m -> {
                    StanzaBus.Hold hold = first.hold().orElseThrow();
                    int n = number(m);
                    later.schedule(() -> {
                        released.add(n);
                        hold.release();
                    }, n == 10 ? 1_500 : 0, TimeUnit.MILLISECONDS);
                    allHandled.countDown();
                });
                for (int i = 1; i <= 10; i++) {
                    first.publish(topic, "juliet@example.com", numbered(i));
                }
                await(allHandled);
            }
            assertThat(released).as("the stopping consumer waited for the held record").contains(10);
            try (KafkaStanzaBus second = new KafkaStanzaBus(properties)) {
                CountDownLatch eleventh = new CountDownLatch(1);
                second.subscribe(topic, "archive", m -> {
                    secondHandled.add(number(m));
                    eleventh.countDown();
                });
                second.publish(topic, "juliet@example.com", numbered(11));
                await(eleventh);
                Thread.sleep(1_000);
            }
        } finally {
            later.shutdownNow();
        }
        assertThat(secondHandled).containsExactly(11);
    }

    @Test
    void whatAHolderPublishesOnAnotherThreadIsRecognisedWhenTheNextRouterRoutesItAgain() throws Exception {
        // As a router's resumable deliveries: each record is held, its delivery published later on another thread
        // (Hold.within), then released. Record 6 is never released, as if the router died before: the next router
        // routes 6 to 10 again, and the gateway must drop the copies of what the first one had published.
        KafkaBusProperties properties = EmbeddedBroker.properties("concurrency", "1");
        String gatewayTopic = "gateway-" + UUID.randomUUID();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch firstTen = new CountDownLatch(10);
        CountDownLatch tenth = new CountDownLatch(1);
        java.util.concurrent.ExecutorService later = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (KafkaStanzaBus gateway = new KafkaStanzaBus(properties)) {
            gateway.subscribe(gatewayTopic, "gateway", m -> delivered.add(number(m)));
            try (KafkaStanzaBus first = new KafkaStanzaBus(properties)) {
                first.subscribe(topic, "router", m -> {
                    StanzaBus.Hold hold = first.hold().orElseThrow();
                    later.execute(() -> {
                        hold.within(() -> first.publish(gatewayTopic, "juliet@example.com", delivery(m)));
                        if (number(m) != 6) {
                            hold.release();
                        }
                        firstTen.countDown();
                    });
                });
                for (int i = 1; i <= 10; i++) {
                    first.publish(topic, "juliet@example.com", numbered(i));
                }
                await(firstTen);
                Thread.sleep(1_000);
            }
            try (KafkaStanzaBus second = new KafkaStanzaBus(properties)) {
                second.subscribe(topic, "router", m -> {
                    second.publish(gatewayTopic, "juliet@example.com", delivery(m));
                    if (number(m) == 10) {
                        tenth.countDown();
                    }
                });
                await(tenth);
                Thread.sleep(1_000);
            }
        } finally {
            later.shutdownNow();
        }
        assertThat(delivered).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    /**
     * A router whose registry read timed out (Redis slow for a moment) hands its record to the handler again instead of
     * skipping it: record 3 fails twice, the first time after publishing its delivery, and still reaches the gateway
     * once, in its place. A failure that asking again would not mend (a bug) is skipped at once.
     */
    @Test
    void aRecordWhoseHandlerFailedOnASlowStoreIsHandledAgainInOrderAndABugIsNot() throws Exception {
        KafkaBusProperties properties = EmbeddedBroker.properties("concurrency", "1", "handler-retry-backoff", "50ms");
        String gatewayTopic = "gateway-" + UUID.randomUUID();
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(5);
        try (KafkaStanzaBus gateway = new KafkaStanzaBus(properties);
             KafkaStanzaBus router = new KafkaStanzaBus(properties)) {
            gateway.subscribe(gatewayTopic, "gateway", m -> {
                delivered.add(number(m));
                all.countDown();
            });
            router.subscribe(topic, "router", m -> {
                int n = number(m);
                attempts.add(n);
                if (n == 3 && attempts.stream().filter(a -> a == 3).count() == 1) {
                    router.publish(gatewayTopic, "juliet@example.com", delivery(m));
                }
                if (n == 3 && attempts.stream().filter(a -> a == 3).count() <= 2) {
                    throw new QueryTimeoutException("Redis command timed out");
                }
                if (n == 5 && !attempts.subList(0, attempts.size() - 1).contains(5)) {
                    throw new IllegalStateException("a bug");
                }
                router.publish(gatewayTopic, "juliet@example.com", delivery(m));
            });
            for (int i = 1; i <= 6; i++) {
                router.publish(topic, "juliet@example.com", numbered(i));
            }
            await(all);
            Thread.sleep(1_000);
        }
        assertThat(attempts).containsExactly(1, 2, 3, 3, 3, 4, 5, 6);
        assertThat(delivered).containsExactly(1, 2, 3, 4, 6);
        assertThat(TransientStoreFailure.is(new IllegalStateException("wrapped", new QueryTimeoutException("t"))))
                .isTrue();
        assertThat(TransientStoreFailure.is(new IllegalStateException("a bug"))).isFalse();
    }

    /**
     * A wait before handling a record again that is interrupted leaves the record unhandled: it is polled again, in its
     * place, instead of being given up and committed past (which would lose it, and after a stop lose it for the
     * partition's next owner too).
     */
    @Test
    void aRecordWhoseWaitBeforeRetryingIsInterruptedIsHandledAgainInItsPlace() throws Exception {
        KafkaBusProperties properties = EmbeddedBroker.properties("concurrency", "1", "handler-retry-backoff", "10m");
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> consumerThread = new AtomicReference<>();
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(5);
        try (KafkaStanzaBus bus = new KafkaStanzaBus(properties)) {
            bus.subscribe(topic, "router", m -> {
                int n = number(m);
                attempts.add(n);
                if (n == 3 && attempts.stream().filter(a -> a == 3).count() == 1) {
                    consumerThread.set(Thread.currentThread());
                    failed.countDown();
                    throw new QueryTimeoutException("the store did not answer");
                }
                all.countDown();
            });
            for (int i = 1; i <= 5; i++) {
                bus.publish(topic, "juliet@example.com", numbered(i));
            }
            await(failed);
            consumerThread.get().interrupt(); // within the ten minutes' wait, or just before it
            await(all);
            Thread.sleep(1_000);
        }
        assertThat(attempts).containsExactly(1, 2, 3, 3, 4, 5);
    }

    /** What a router would publish for a routed stanza: the same stanza, addressed to a session. */
    private static BusMessage delivery(BusMessage routed) {
        return new BusMessage(routed.stanza(), Map.of(BusMessage.TARGET, "juliet@example.com/balcony",
                BusMessage.CONNECTION, "c1"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2 * WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRepublishedMessageIsHandledOnceButEqualStanzasFromSeparatePublishesAreNot() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        try (KafkaStanzaBus bus = new KafkaStanzaBus(EmbeddedBroker.properties())) {
            bus.subscribe(topic, "gateway", m -> {
                handled.add(number(m));
                if (number(m) == 3) {
                    last.countDown();
                }
            });
            BusMessage retried = new BusMessage(numbered(1).stanza(),
                    Map.of(KafkaStanzaBus.MESSAGE_ID_HEADER, "publication-1", BusMessage.TARGET, "juliet@example.com/a"));
            bus.publish(topic, "juliet@example.com", retried);
            bus.publish(topic, "juliet@example.com", retried);
            bus.publish(topic, "juliet@example.com", numbered(2));
            bus.publish(topic, "juliet@example.com", numbered(2));
            bus.publish(topic, "juliet@example.com", numbered(3));
            await(last);
        }
        assertThat(handled).containsExactly(1, 2, 2, 3);
    }

    @Test
    void startCreatesTheSharedTopicsAndSubscribingAGatewayItsTopicWithTheConfiguredPartitions() throws Exception {
        String gateway = Topics.gateway("gw-" + UUID.randomUUID());
        KafkaBusProperties properties = EmbeddedBroker.properties("partitions", "3");
        try (KafkaStanzaBus bus = new KafkaStanzaBus(properties);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()))) {
            bus.start();
            bus.subscribe(gateway, gateway, m -> { });
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.ROUTE, Topics.SERVICE, gateway))
                    .allTopicNames().get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(topics.get(gateway).partitions()).hasSize(3);
            assertThat(topics).containsKeys(Topics.ROUTE, Topics.SERVICE);
        }
    }

    @Test
    void recordsThatAreNotOneStanzaAreSkippedAndTheKeyKeepsFlowing() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        CountDownLatch good = new CountDownLatch(1);
        KafkaBusProperties properties = EmbeddedBroker.properties();
        try (KafkaStanzaBus bus = new KafkaStanzaBus(properties);
             KafkaProducer<String, String> foreign = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            bus.subscribe(topic, "router", m -> { handled.add(number(m)); good.countDown(); });
            for (String bad : List.of("<message xmlns='jabber:client'>", "<a xmlns='x'/><b xmlns='x'/>",
                    "<!DOCTYPE x [<!ENTITY e 'boom'>]><message xmlns='jabber:client'>&e;</message>", "")) {
                foreign.send(new ProducerRecord<>(topic, "juliet@example.com", bad)).get();
            }
            bus.publish(topic, "juliet@example.com", numbered(1));
            await(good);
            Thread.sleep(500);
        }
        assertThat(handled).containsExactly(1);
    }
}
