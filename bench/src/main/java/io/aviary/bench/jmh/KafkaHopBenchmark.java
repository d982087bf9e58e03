package io.aviary.bench.jmh;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.kafka.KafkaBusProperties;
import io.aviary.bus.kafka.KafkaStanzaBus;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One bus hop of a cluster: {@link KafkaStanzaBus#publish} of a chat message until its subscriber's
 * handler has it, on an in-JVM KRaft broker (spring-kafka-test). The broker shares the JVM and the
 * cores with producer and consumer, and the producer waits for {@code acks=all} from its one replica,
 * so this is the latency floor of a hop, not a broker's throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KafkaHopBenchmark {

    private static final String TOPIC = "bench.hop";

    private EmbeddedKafkaKraftBroker broker;
    private KafkaStanzaBus bus;
    private StanzaBus.Subscription subscription;
    private final BlockingQueue<BusMessage> received = new LinkedBlockingQueue<>();
    private BusMessage message;
    private int sequence;

    @Setup
    public void setUp() throws InterruptedException {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        // A new consumer group would otherwise wait 3 s for more members before its first assignment.
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        bus = new KafkaStanzaBus(new KafkaBusProperties(broker.getBrokersAsString(), 1, (short) 1, "aviary-bench", 1,
                Duration.ofMillis(100), Duration.ofMinutes(5), "latest", 10_000, 1 << 20, Duration.ofSeconds(30),
                5, Duration.ofMillis(200), Map.of()));
        bus.start();
        subscription = bus.subscribe(TOPIC, "bench", received::add);
        XmlElement stanza = Stanzas.chat(1, 2, 0);
        message = BusMessage.of(stanza);
        // The consumer joins its group asynchronously: publish until one message makes the hop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.poll(500, TimeUnit.MILLISECONDS) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Kafka consumer got no message within 60 s");
            }
            bus.publish(TOPIC, "bench-2@localhost", message);
        }
        received.clear();
    }

    @TearDown
    public void tearDown() {
        subscription.close();
        bus.close();
        broker.destroy();
    }

    @Benchmark
    public BusMessage publishAndConsume() throws InterruptedException {
        bus.publish(TOPIC, "bench-" + (sequence++ & 1023) + "@localhost", message);
        BusMessage got = received.poll(10, TimeUnit.SECONDS);
        if (got == null) {
            throw new IllegalStateException("a published message did not arrive within 10 s");
        }
        return got;
    }
}
