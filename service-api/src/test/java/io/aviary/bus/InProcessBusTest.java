package io.aviary.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessBusTest {

    private static BusMessage numbered(String key, int n) {
        return BusMessage.of(XmlElement.builder("message", "jabber:client")
                .attribute("to", key).attribute("id", String.valueOf(n)).build());
    }

    @Test
    void messagesWithOneKeyArriveInPublishOrder() throws Exception {
        try (InProcessBus bus = new InProcessBus(4)) {
            int perKey = 2_000;
            List<String> keys = List.of("juliet@example.com", "romeo@example.net", "nurse@example.com");
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(perKey * keys.size());
            bus.subscribe("t", "g", m -> {
                seen.computeIfAbsent(m.stanza().attributeOrNull("to"), k -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(m.stanza().attributeOrNull("id")));
                done.countDown();
            });
            for (int i = 0; i < perKey; i++) {
                for (String key : keys) {
                    bus.publish("t", key, numbered(key, i));
                }
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            for (String key : keys) {
                assertThat(seen.get(key)).hasSize(perKey).isSorted();
            }
        }
    }

    @Test
    void oneSubscriberPerGroupReceivesEachMessageAndClosedSubscriptionsNothing() throws Exception {
        try (InProcessBus bus = new InProcessBus(1)) {
            List<String> received = new CopyOnWriteArrayList<>();
            CountDownLatch two = new CountDownLatch(2);
            bus.subscribe("t", "a", m -> { received.add("a1"); two.countDown(); });
            bus.subscribe("t", "a", m -> received.add("a2"));
            StanzaBus.Subscription b = bus.subscribe("t", "b", m -> { received.add("b"); two.countDown(); });
            bus.publish("t", "k", numbered("k", 1));
            assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
            b.close();
            CountDownLatch one = new CountDownLatch(1);
            bus.subscribe("t", "c", m -> one.countDown());
            bus.publish("t", "k", numbered("k", 2));
            assertThat(one.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(received).containsExactly("a1", "b", "a1");
        }
    }

    @Test
    void aFailingHandlerDoesNotStopTheLane() throws Exception {
        try (InProcessBus bus = new InProcessBus(1)) {
            CountDownLatch second = new CountDownLatch(1);
            bus.subscribe("t", "g", m -> {
                if (m.stanza().attributeOrNull("id").equals("1")) {
                    throw new IllegalStateException("boom");
                }
                second.countDown();
            });
            bus.publish("t", "k", numbered("k", 1));
            bus.publish("t", "k", numbered("k", 2));
            assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
