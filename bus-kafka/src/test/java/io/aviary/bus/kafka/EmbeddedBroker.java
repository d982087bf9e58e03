package io.aviary.bus.kafka;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One in-JVM KRaft broker for all tests of this module, and bus properties bound the way Spring binds them. */
final class EmbeddedBroker {

    private static EmbeddedKafkaKraftBroker broker;

    private EmbeddedBroker() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaKraftBroker(1, 1);
            // A new consumer group would otherwise wait 3 s for more members before its first assignment.
            broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
            broker.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        }
        return broker.getBrokersAsString();
    }

    /** The bus properties with their declared defaults, the embedded broker and the given overrides. */
    static KafkaBusProperties properties(String... overrides) {
        Map<String, String> source = new HashMap<>();
        source.put("aviary.bus.kafka.bootstrap-servers", bootstrapServers());
        source.put("aviary.bus.kafka.partitions", "4");
        for (int i = 0; i < overrides.length; i += 2) {
            source.put("aviary.bus.kafka." + overrides[i], overrides[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(source))
                .bindOrCreate("aviary.bus.kafka", KafkaBusProperties.class);
    }
}
