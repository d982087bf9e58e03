package io.aviary.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamWorkersTest {

    @Test
    void aFullPoolRefusesStepsAndItsMetersShowTheBacklog() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        try (StreamWorkers workers = new StreamWorkers(1, 1)) {
            workers.bindTo(meters);
            Runnable blocked = () -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.incrementAndGet();
            };
            assertThat(workers.tryExecute(blocked)).isTrue();
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(workers.tryExecute(done::incrementAndGet)).isTrue(); // waits in the queue
            assertThat(workers.tryExecute(done::incrementAndGet)).isFalse(); // one running + one waiting = capacity

            assertThat(meters.get("xmpp.stream.workers.admitted").gauge().value()).isEqualTo(2);
            assertThat(meters.get("xmpp.stream.workers.capacity").gauge().value()).isEqualTo(2);
            assertThat(meters.get("xmpp.stream.workers.refused").functionCounter().count()).isEqualTo(1);
            assertThat(meters.get("executor.queued").tag("name", "xmpp.stream.workers").gauge().value()).isEqualTo(1);
            assertThat(meters.get("executor.active").tag("name", "xmpp.stream.workers").gauge().value()).isEqualTo(1);

            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((done.get() < 2 || meters.get("xmpp.stream.workers.admitted").gauge().value() > 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(done.get()).isEqualTo(2);
            assertThat(meters.get("xmpp.stream.workers.admitted").gauge().value()).isZero();
            assertThat(workers.tryExecute(done::incrementAndGet)).isTrue(); // room again once the backlog is gone
        }
    }
}
