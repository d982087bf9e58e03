package io.aviary.cluster;

import io.aviary.bus.kafka.KafkaStanzaBus;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Readiness of the Kafka bus: up while a broker answers a cluster description within the timeout. */
public final class KafkaBusHealthIndicator implements HealthIndicator {

    private final KafkaStanzaBus bus;
    private final Duration timeout;

    public KafkaBusHealthIndicator(KafkaStanzaBus bus, Duration timeout) {
        this.bus = bus;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("clusterId", bus.clusterId(timeout)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down(e).build();
        } catch (Exception e) {
            return Health.down(e).build();
        }
    }
}
