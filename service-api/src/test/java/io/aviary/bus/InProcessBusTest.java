package io.aviary.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    /**
     * Past its bound the bus says it is congested, publishing still never blocks, and what waits for it to drain runs
     * once half of the backlog is handled, not before.
     */
    @Test
    void aBacklogPastTheBoundCongestsTheBusUntilHalfOfItIsHandled() throws Exception {
        InProcessBus bounded = new InProcessBus(1, 10);
        try {
            CountDownLatch blocked = new CountDownLatch(1);
            AtomicInteger handled = new AtomicInteger();
            bounded.subscribe("t", "g", message -> {
                try {
                    blocked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                handled.incrementAndGet();
            });
            for (int i = 0; i < 9; i++) {
                bounded.publish("t", "k", numbered("k", i));
            }
            assertThat(bounded.congested()).as("nine waiting").isFalse();
            bounded.publish("t", "k", numbered("k", 9));
            assertThat(bounded.congested()).as("ten waiting").isTrue();
            for (int i = 10; i < 20; i++) {
                bounded.publish("t", "k", numbered("k", i));
            }
            CountDownLatch drained = new CountDownLatch(1);
            AtomicInteger handledWhenDrained = new AtomicInteger(-1);
            bounded.whenDrained(() -> {
                handledWhenDrained.set(handled.get());
                drained.countDown();
            });
            assertThat(drained.getCount()).as("still congested").isEqualTo(1);

            blocked.countDown();
            assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handledWhenDrained.get()).as("at most 5 of the 20 left").isGreaterThanOrEqualTo(15);
            assertThat(bounded.congested()).isFalse();

            CountDownLatch atOnce = new CountDownLatch(1);
            bounded.whenDrained(atOnce::countDown);
            assertThat(atOnce.getCount()).as("run at once when not congested").isZero();
        } finally {
            bounded.close();
        }
    }

    /** A store's time-out, as the handler's store would throw it (a stand-in for Spring's transient exceptions). */
    private static final class StoreTimedOut extends RuntimeException {
        StoreTimedOut() {
            super("the store did not answer in time");
        }
    }

    private static final HandlerRetries THREE_QUICK = new HandlerRetries(3, Duration.ofMillis(1),
            failure -> failure instanceof StoreTimedOut);

    @Test
    void aHandlerThatFailedOnAStoreThatMayAnswerIsGivenTheMessageAgainBeforeTheNextOne() throws Exception {
        InProcessBus retrying = new InProcessBus(1, 0, THREE_QUICK);
        try {
            List<String> handled = new CopyOnWriteArrayList<>();
            AtomicInteger failuresLeft = new AtomicInteger(2);
            retrying.subscribe("t", "g", message -> {
                String id = "k-" + number(message);
                if (id.equals("k-0") && failuresLeft.getAndDecrement() > 0) {
                    handled.add(id + " failed");
                    throw new StoreTimedOut();
                }
                handled.add(id);
            });
            retrying.publish("t", "k", numbered("k", 0));
            retrying.publish("t", "k", numbered("k", 1));

            assertThat(retrying.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(handled).containsExactly("k-0 failed", "k-0 failed", "k-0", "k-1");
        } finally {
            retrying.close();
        }
    }

    @Test
    void otherFailuresAndTheLastRetryAreLoggedAndTheLaneGoesOn() throws Exception {
        InProcessBus retrying = new InProcessBus(1, 0, THREE_QUICK);
        try {
            List<String> handled = new CopyOnWriteArrayList<>();
            retrying.subscribe("t", "g", message -> {
                String id = "k-" + number(message);
                handled.add(id);
                switch (id) {
                    case "k-0" -> throw new IllegalStateException("a bug, not the store");
                    case "k-1" -> throw new StoreTimedOut();
                    default -> { }
                }
            });
            for (int i = 0; i < 3; i++) {
                retrying.publish("t", "k", numbered("k", i));
            }

            assertThat(retrying.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(handled).containsExactly("k-0", "k-1", "k-1", "k-1", "k-1", "k-2");
        } finally {
            retrying.close();
        }
    }
}
