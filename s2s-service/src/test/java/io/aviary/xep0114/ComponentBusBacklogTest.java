package io.aviary.xep0114;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.bus.Topics;
import io.aviary.s2s.SteadyValue;
import io.aviary.service.Outbox;
import io.aviary.testclients.RawComponent;
import io.aviary.xmpp.stanza.Stanza;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A component sends far more than the bus may hold while what it sends is not handled: the component port stops
 * reading it until the bus drains (its TCP window holds the rest, the heap does not), then reads on, and every stanza
 * is routed, in order.
 */
class ComponentBusBacklogTest {

    private static final int MAX_BACKLOG = 20;
    private static final int FLOOD = 5_000;

    @Test
    void aComponentFloodingABusThatIsBehindIsReadOnlyAsTheBusDrainsAndLosesNothing() throws Exception {
        InProcessBus bus = new InProcessBus(4, MAX_BACKLOG);
        CountDownLatch routerBehind = new CountDownLatch(1);
        List<String> routed = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(Topics.ROUTE, "router", message -> {
            try {
                routerBehind.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            routed.add(message.stanza().childText("body", Stanza.CLIENT_NAMESPACE).orElse(null));
        });
        ComponentsProperties properties = new ComponentsProperties(0, "127.0.0.1", DataSize.ofKilobytes(256),
                DataSize.ofKilobytes(64), Duration.ofSeconds(10),
                List.of(new ComponentsProperties.Component("echo.example.org", "secret", null, null, null)),
                "s2s-1", Duration.ofSeconds(30));
        ConnectedComponents components = new ConnectedComponents(properties.services(), new Outbox(bus), bus,
                new LocalComponentHolders(), "s2s-1");
        components.start();
        ComponentListener listener = new ComponentListener(properties, components, bus);
        listener.start();
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try (RawComponent echo = RawComponent.connect(listener.port(), "echo.example.org", "secret")) {
            StringBuilder flood = new StringBuilder();
            for (int i = 0; i < FLOOD; i++) {
                flood.append("<message from='echo.example.org' to='romeo@example.net/orchard' type='chat'><body>")
                        .append(i).append("</body></message>");
            }
            // Its own thread: once the port stops reading, the write waits for the TCP window.
            Future<?> sent = sender.submit(() -> {
                echo.send(flood.toString());
                return null;
            });

            long backlog = SteadyValue.of(bus::backlog);
            assertThat(bus.congested()).isTrue();
            // What the read that found the bus congested held (at most 64 KB, some 600 stanzas), not the whole flood.
            assertThat(backlog).as("stanzas taken in while the bus was behind").isLessThan(FLOOD / 4);

            routerBehind.countDown();
            sent.get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (routed.size() < FLOOD && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(routed).isEqualTo(IntStream.range(0, FLOOD).mapToObj(Integer::toString).toList());
            assertThat(bus.congested()).isFalse();
        } finally {
            routerBehind.countDown();
            sender.shutdownNow();
            listener.close();
            components.close();
            bus.close();
        }
    }
}
