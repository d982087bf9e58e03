package io.aviary.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.StanzaBus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KafkaBusConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaBusConfiguration.class));

    @Test
    void theKafkaBusIsWiredOnlyWhenTheBusTypeIsKafka() {
        runner.run(context -> assertThat(context).doesNotHaveBean(StanzaBus.class));
        runner.withPropertyValues("aviary.bus.type=kafka",
                        "aviary.bus.kafka.bootstrap-servers=" + EmbeddedBroker.bootstrapServers(),
                        "aviary.bus.kafka.partitions=5")
                .run(context -> {
                    assertThat(context).hasSingleBean(KafkaStanzaBus.class);
                    assertThat(context.getBean(KafkaBusProperties.class))
                            .extracting(KafkaBusProperties::partitions, KafkaBusProperties::replicationFactor,
                                    KafkaBusProperties::concurrency)
                            .containsExactly(5, (short) 1, 2);
                });
    }
}
