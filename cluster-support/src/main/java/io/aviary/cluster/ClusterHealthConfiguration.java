package io.aviary.cluster;

import io.aviary.bus.kafka.KafkaBusConfiguration;
import io.aviary.bus.kafka.KafkaStanzaBus;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/** The {@code kafka} contributor of the readiness group (design.md: "readiness includes its Kafka"). */
@AutoConfiguration(after = KafkaBusConfiguration.class)
@ConditionalOnBean(KafkaStanzaBus.class)
public class ClusterHealthConfiguration {

    @Bean
    public KafkaBusHealthIndicator kafkaHealthIndicator(KafkaStanzaBus bus) {
        return new KafkaBusHealthIndicator(bus, Duration.ofSeconds(3));
    }
}
