package io.aviary.bus.kafka;

import io.aviary.bus.StanzaBus;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Wires the Kafka bus when {@code aviary.bus.type=kafka} (cluster mode). */
@AutoConfiguration
@ConditionalOnProperty(name = "aviary.bus.type", havingValue = "kafka")
@EnableConfigurationProperties(KafkaBusProperties.class)
public class KafkaBusConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(StanzaBus.class)
    public KafkaStanzaBus kafkaStanzaBus(KafkaBusProperties properties, ObjectProvider<MeterRegistry> meters) {
        KafkaStanzaBus bus = new KafkaStanzaBus(properties, meters.getIfAvailable());
        bus.start();
        return bus;
    }
}
