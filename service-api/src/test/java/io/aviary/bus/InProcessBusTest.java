package io.aviary.bus;

import static org.assertj.core.api.Assertions.assertThat;

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
}
