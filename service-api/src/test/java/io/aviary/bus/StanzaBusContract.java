package io.aviary.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StanzaBus} must do (style.md, point 7); each implementation runs it. Each test uses
 * its own topic, so an implementation may share one bus between tests.
 */
public abstract class StanzaBusContract {

    /** Long enough for a broker to assign partitions to a new consumer group. */
    private static final long WAIT_SECONDS = 120; // a liveness bound for loaded CI machines, not a speed target
    /** How long to keep listening for deliveries that must not come. */
    private static final long QUIET_MILLIS = 1_000;

    protected final String topic = "contract-" + UUID.randomUUID();

    protected abstract StanzaBus bus();

    protected static BusMessage numbered(String key, int n) {
        return BusMessage.of(XmlElement.builder("message", "jabber:client")
                .attribute("to", key).attribute("id", String.valueOf(n)).build());
    }

    protected static int number(BusMessage message) {
        return Integer.parseInt(message.stanza().attributeOrNull("id"));
    }

    protected static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("deliveries arrived in time").isTrue();
    }

    @Test
    void stanzaAndHeadersArriveUnchanged() throws Exception {
        XmlElement stanza = XmlElement.builder("message", "jabber:client")
                .attribute("to", "juliet@example.com/balcony").attribute("from", "romeo@example.net/orchard")
                .attribute("type", "chat").attribute("id", "m1")
                .child(XmlElement.builder("body", "jabber:client").text("Wherefore art thou? <3 & ü 🌹").build())
                .child(XmlElement.builder("active", "http://jabber.org/protocol/chatstates").build())
                .build();
        BusMessage sent = new BusMessage(stanza,
                Map.of(BusMessage.TARGET, "juliet@example.com/balcony", BusMessage.CONNECTION, "c-42"));
        List<BusMessage> received = new CopyOnWriteArrayList<>();
        CountDownLatch one = new CountDownLatch(1);
        bus().subscribe(topic, "g", m -> { received.add(m); one.countDown(); });
        bus().publish(topic, "juliet@example.com", sent);
        await(one);
        assertThat(received).hasSize(1);
        BusMessage got = received.get(0);
        assertThat(got.stanza()).isEqualTo(sent.stanza());
        // A bus with ids of its own adds the message's as PUBLICATION (BusMessage); nothing else changes.
        Map<String, String> headers = new java.util.HashMap<>(got.headers());
        headers.remove(BusMessage.PUBLICATION);
        assertThat(headers).isEqualTo(sent.headers());
    }

    @Test
    void messagesWithOneKeyArriveInPublishOrderUnderLoad() throws Exception {
        int perKey = 400;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add("user" + i + "@example.com");
        }
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(perKey * keys.size());
        bus().subscribe(topic, "g", m -> {
            seen.computeIfAbsent(m.stanza().attributeOrNull("to"), k -> new CopyOnWriteArrayList<>()).add(number(m));
            done.countDown();
        });
        for (int i = 0; i < perKey; i++) {
            for (String key : keys) {
                bus().publish(topic, key, numbered(key, i));
            }
        }
        await(done);
        for (String key : keys) {
            assertThat(seen.get(key)).as(key).hasSize(perKey).isSorted();
        }
    }

    @Test
    void eachGroupReceivesEveryMessageOnceWhateverItsSubscriberCount() throws Exception {
        int count = 200;
        List<Integer> groupA = new CopyOnWriteArrayList<>();
        List<Integer> groupB = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(2 * count);
        bus().subscribe(topic, "a", m -> { groupA.add(number(m)); all.countDown(); });
        bus().subscribe(topic, "a", m -> { groupA.add(number(m)); all.countDown(); });
        bus().subscribe(topic, "b", m -> { groupB.add(number(m)); all.countDown(); });
        for (int i = 0; i < count; i++) {
            bus().publish(topic, "user" + (i % 16) + "@example.com", numbered("k", i));
        }
        await(all);
        Thread.sleep(QUIET_MILLIS);
        assertThat(groupA).hasSize(count).doesNotHaveDuplicates();
        assertThat(groupB).hasSize(count).doesNotHaveDuplicates();
    }

    @Test
    void aClosedSubscriptionReceivesNothingMore() throws Exception {
        List<Integer> closed = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(2);
        CountDownLatch second = new CountDownLatch(1);
        StanzaBus.Subscription subscription = bus().subscribe(topic, "a", m -> { closed.add(number(m)); first.countDown(); });
        bus().subscribe(topic, "b", m -> {
            first.countDown();
            if (number(m) == 2) {
                second.countDown();
            }
        });
        bus().publish(topic, "k", numbered("k", 1));
        await(first);
        subscription.close();
        bus().publish(topic, "k", numbered("k", 2));
        await(second);
        Thread.sleep(QUIET_MILLIS);
        assertThat(closed).containsExactly(1);
    }

    @Test
    void aFailingHandlerDoesNotStopTheMessagesAfterIt() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        CountDownLatch third = new CountDownLatch(1);
        bus().subscribe(topic, "g", m -> {
            if (number(m) == 2) {
                throw new IllegalStateException("boom");
            }
            handled.add(number(m));
            if (number(m) == 3) {
                third.countDown();
            }
        });
        for (int i = 1; i <= 3; i++) {
            bus().publish(topic, "k", numbered("k", i));
        }
        await(third);
        Thread.sleep(QUIET_MILLIS);
        assertThat(handled).containsExactly(1, 3);
    }
}
