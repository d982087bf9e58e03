package io.aviary.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.xmpp.xml.XmlElement;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A remote server's connection is not read while the bus is congested: a peer that sends megabytes while the bus is
 * behind fills its own TCP window, not this server's heap, and is read on once the bus drains.
 */
class S2sNetworkBusBacklogTest {

    private static final int MAX_BACKLOG = 20;
    private static final int READ = 64 * 1024;

    @Test
    void aPeerSendingWhileTheBusIsBehindIsReadOnlyAsTheBusDrains() throws Exception {
        floodWhileTheBusIsBehind(0, 4 << 20);
    }

    /**
     * Netty's traffic shaper turns reading back on when a peer's pause for its rate is over, whatever else paused it:
     * the bus's pause must outlast that, or a peer within its rate is read on while the bus is still behind.
     */
    @Test
    void aPeerWithinItsRateIsStillNotReadWhileTheBusIsBehind() throws Exception {
        floodWhileTheBusIsBehind(256 << 10, 2 << 20);
    }

    private void floodWhileTheBusIsBehind(long maxBytesPerSecond, int sent) throws Exception {
        InProcessBus bus = new InProcessBus(2, MAX_BACKLOG);
        CountDownLatch busBehind = new CountDownLatch(1);
        bus.subscribe("s2s-in", "handler", message -> {
            try {
                busBehind.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicLong received = new AtomicLong();
        // Stands in for the stream: each read becomes one publication, as stanzas parsed from it would.
        S2sNetwork.Connection stream = new S2sNetwork.Connection() {
            @Override
            public void receive(byte[] bytes) {
                received.addAndGet(bytes.length);
                bus.publish("s2s-in", "peer", BusMessage.of(XmlElement.builder("read", "urn:test").build()));
            }

            @Override
            public void disconnected() {
            }

            @Override
            public void idle() {
            }
        };
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (S2sNetwork network = new S2sNetwork(Duration.ofMinutes(1), Duration.ofSeconds(5), maxBytesPerSecond, 0,
                bus); Socket peer = new Socket()) {
            int port = ((InetSocketAddress) network.listen("127.0.0.1", 0, null, link -> stream).localAddress()).getPort();
            peer.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = peer.getOutputStream();
            // Its own thread: once the server stops reading, the write waits for the TCP window.
            Future<?> sending = sender.submit(() -> {
                byte[] chunk = new byte[READ];
                for (int written = 0; written < sent; written += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
                return null;
            });

            long whileBehind = SteadyValue.of(received::get);
            assertThat(bus.congested()).isTrue();
            // Reads go on only until the backlog passes its bound: one read (at most 64 KB) per publication, the two
            // lanes' messages in hand besides.
            assertThat(whileBehind).as("bytes read while the bus was behind").isLessThan((MAX_BACKLOG + 8L) * READ);
            // Longer than the shaper's pause for what was read (about 4 s at 256 KB/s): still nothing read.
            Thread.sleep(5_000);
            assertThat(received.get()).as("bytes read while the bus was still behind").isEqualTo(whileBehind);

            busBehind.countDown();
            sending.get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.get() < sent && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(received.get()).isEqualTo(sent);
            assertThat(bus.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(bus.congested()).isFalse();
        } finally {
            busBehind.countDown();
            sender.shutdownNow();
            bus.close();
        }
    }
}
