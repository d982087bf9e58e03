package io.aviary.bus.kafka;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka bus of a cluster ({@code aviary.bus.type=kafka}).
 *
 * @param bootstrapServers  Kafka brokers to bootstrap from, comma-separated {@code host:port}
 * @param partitions        partitions of each topic the bus creates; the upper bound of consumers of one group
 *                          that can share a topic, since a key (a bare JID) always lives in one partition
 * @param replicationFactor replicas of each topic the bus creates (3 in production, 1 for a single broker)
 * @param clientId          prefix of the Kafka client ids, so broker logs and metrics name the instance
 * @param concurrency       consumer threads per subscription; each partition is handled by exactly one of them
 * @param pollTimeout       how long one poll waits for records before the consumer loop checks for shutdown
 * @param maxPollInterval   longest a handler may take between polls before Kafka moves its partitions to another
 *                          consumer (which then receives the unacknowledged records again)
 * @param autoOffsetReset   where a group with no committed offset starts: {@code earliest} so nothing published
 *                          while a new consumer is joining is lost, or {@code latest}
 * @param dedupCacheSize    message ids remembered per consumer group to drop records redelivered after a rebalance;
 *                          enough for the stanzas of the consumer session timeout (10 s) and some, at the rate
 *                          one instance handles
 * @param maxStanzaBytes    largest stanza accepted from a record; larger records are logged and skipped
 * @param topicTimeout      how long start-up and the first use of a topic wait for the broker to create it
 * @param handlerRetries    how many times a record is handled again when its handler failed on a store that may
 *                          come back (a Redis or database time-out, a lost connection), the records behind it in its
 *                          partition waiting, before it is logged and skipped
 * @param handlerRetryBackoff the wait before the first of those, doubled before each next one
 * @param properties        further Kafka client settings (security, SASL, tuning), passed to producer, consumers
 *                          and admin client as they are
 */
@ConfigurationProperties("aviary.bus.kafka")
public record KafkaBusProperties(
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("12") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("aviary") String clientId,
        @DefaultValue("2") int concurrency,
        @DefaultValue("1s") Duration pollTimeout,
        @DefaultValue("5m") Duration maxPollInterval,
        @DefaultValue("earliest") String autoOffsetReset,
        @DefaultValue("100000") int dedupCacheSize,
        @DefaultValue("1048576") int maxStanzaBytes,
        @DefaultValue("30s") Duration topicTimeout,
        @DefaultValue("5") int handlerRetries,
        @DefaultValue("200ms") Duration handlerRetryBackoff,
        Map<String, String> properties) {

    public KafkaBusProperties {
        if (partitions <= 0 || replicationFactor <= 0 || concurrency <= 0 || dedupCacheSize <= 0 || maxStanzaBytes <= 0) {
            throw new IllegalArgumentException("aviary.bus.kafka: partitions, replication-factor, concurrency, "
                    + "dedup-cache-size and max-stanza-bytes must be positive");
        }
        if (handlerRetries < 0 || handlerRetries > 10) {
            throw new IllegalArgumentException("aviary.bus.kafka.handler-retries must be between 0 and 10");
        }
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

}
