package io.aviary.bus.kafka;

import io.aviary.bus.BusInterceptor;
import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.BatchAcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;

/**
 * The cluster bus (design.md, "One stanza's way"): a topic per bus topic, the bus key as record key.
 *
 * <ul>
 *   <li>Order: the default partitioner sends one key to one partition, and a partition is consumed by one
 *       thread of one group member at a time, so a user's stanzas are handled in publish order
 *       (RFC 6120 §10.1: "the server MUST ensure that it processes stanzas in the order received").
 *       The producer is idempotent, so its retries neither reorder nor duplicate records.</li>
 *   <li>At least once: the producer waits for all in-sync replicas ({@code acks=all}); a consumer commits
 *       the offsets of a poll's records only after the handler returned for all of them and what it published
 *       was acknowledged (a producer flush per poll, then an asynchronous commit), so a crash before
 *       that hands them to the next owner of the partition, handled ones included. A record a handler
 *       {@link #hold holds} stops the commits of its partition at its offset until released ({@link HeldOffsets});
 *       what was released meanwhile is committed with the next poll's records, when the consumer is idle, and
 *       when it gives the partition up. Committing each record cost a broker request per stanza and capped the router at a few
 *       hundred stanzas a second on a small machine (docs/benchmarks.md); a commit lost in a crash only means
 *       a redelivery. A handler that throws is logged and the record
 *       counts as handled, as on the in-process bus: one bad stanza must not stall a user's partition.</li>
 *   <li>Duplicates: every record carries a publication id; each consumer group remembers the last ids it
 *       handled in this process ({@link RecentlyHandled}) and drops a record it has seen. What a handler
 *       publishes gets ids derived from the record it handles ({@link DerivedPublications}): when a router dies
 *       before committing and another one routes the same records again, its deliveries carry the ids of the
 *       first ones, and the gateway, which got both, drops the copies.</li>
 * </ul>
 *
 * Topics are created when first used (the route and service topics at {@link #start()}, a gateway's when
 * it subscribes), with the configured partitions and replication factor.
 */
public final class KafkaStanzaBus implements StanzaBus, AutoCloseable {

    private volatile BusInterceptor interceptor = BusInterceptor.NONE;

    /**
     * Record header naming one publication. A publisher that retries a publish may set it in the message's
     * headers so the retry is recognised as the same message; otherwise the bus adds a random one.
     * Handlers never see it.
     */
    public static final String MESSAGE_ID_HEADER = "aviary-message-id";

    private static final Logger log = LoggerFactory.getLogger(KafkaStanzaBus.class);
    /** How soon holds released while a consumer gets no records are committed. */
    private static final Duration IDLE_COMMIT_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a consumer giving partitions up waits for their held records ({@link HeldOffsets#awaitReleased}): long
     * enough for a batch of archive writes, short enough not to stall the group's rebalance for a stanza waiting on a
     * remote server's stream.
     */
    private static final Duration REVOKE_HOLD_WAIT = Duration.ofSeconds(3);

    private final KafkaBusProperties properties;
    private final StanzaRecords records;
    private final Admin admin;
    private final DefaultKafkaProducerFactory<String, byte[]> producerFactory;
    private final KafkaTemplate<String, byte[]> template;
    private final DefaultKafkaConsumerFactory<String, byte[]> consumerFactory;
    private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
    private final Map<String, RecentlyHandled> handledByGroup = new ConcurrentHashMap<>();
    private final Set<ConcurrentMessageListenerContainer<String, byte[]>> containers = ConcurrentHashMap.newKeySet();
    /** {@link #whenReassigned}'s tasks by topic and group. */
    private final Map<String, List<Runnable>> reassigned = new ConcurrentHashMap<>();
    /** The record a handler is handling on this thread, whose publications get ids derived from it. */
    private final ThreadLocal<DerivedPublications> handling = new ThreadLocal<>();
    /** The same record, as a hold would stop its commit. */
    private final ThreadLocal<Holdable> holdable = new ThreadLocal<>();

    private record Holdable(HeldOffsets offsets, TopicPartition partition, long offset) {
    }

    public KafkaStanzaBus(KafkaBusProperties properties) {
        this(properties, null);
    }

    /**
     * @param meters where the Kafka clients' own metrics go (among them the consumers' {@code records-lag-max},
     *               the lag of each consumer group), or null
     */
    public KafkaStanzaBus(KafkaBusProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.records = new StanzaRecords(properties.maxStanzaBytes());
        this.admin = Admin.create(clientConfig("admin"));
        this.producerFactory = new DefaultKafkaProducerFactory<>(producerConfig(), new StringSerializer(),
                new ByteArraySerializer());
        this.template = new KafkaTemplate<>(producerFactory);
        this.consumerFactory = new DefaultKafkaConsumerFactory<>(consumerConfig(), new StringDeserializer(),
                new ByteArrayDeserializer());
        if (meters != null) {
            producerFactory.addListener(new MicrometerProducerListener<>(meters));
            consumerFactory.addListener(new MicrometerConsumerListener<>(meters));
        }
    }

    /** The id of the Kafka cluster, asked of the brokers: fails when none answers within {@code timeout}. */
    public String clusterId(Duration timeout) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Creates the shared topics, so that the first stanzas are not held up by topic creation. */
    public void start() {
        ensureTopic(Topics.ROUTE);
        ensureTopic(Topics.SERVICE);
        ensureTopic(Topics.ARCHIVE);
        ensureTopic(Topics.UPLOAD);
        ensureTopic(Topics.MUC);
        ensureTopic(Topics.PUBSUB);
        ensureTopic(Topics.EVENTS);
    }

    /** Sends asynchronously; a record that can't be written after the producer's retries is logged. */
    @Override
    public void publish(String topic, String key, BusMessage published) {
        BusMessage message = interceptor.onPublish(topic, key, published);
        ensureTopic(topic);
        template.send(records.toRecord(topic, key, message, handling.get())).whenComplete((result, failure) -> {
            if (failure != null) {
                log.error("could not publish a {} to {} (key {})", message.stanza().name(), topic, key, failure);
            }
        });
    }

    @Override
    public void whenReassigned(String topic, String group, Runnable task) {
        reassigned.computeIfAbsent(reassignmentKey(topic, group), k -> new CopyOnWriteArrayList<>()).add(task);
    }

    private static String reassignmentKey(String topic, String group) {
        return topic + '\0' + group;
    }

    @Override
    public Subscription subscribe(String topic, String group, Consumer<BusMessage> subscriber) {
        Consumer<BusMessage> handler = interceptor.onSubscribe(topic, group, subscriber);
        ensureTopic(topic);
        RecentlyHandled handled = handledByGroup.computeIfAbsent(group,
                g -> new RecentlyHandled(properties.dedupCacheSize()));
        HeldOffsets offsets = new HeldOffsets();
        ContainerProperties containerProperties = new ContainerProperties(topic);
        containerProperties.setGroupId(group);
        containerProperties.setClientId(properties.clientId() + "-" + group);
        // The listener commits itself (the container commits only acknowledgments, and none are made), so that a
        // held record stops the commit at its offset.
        containerProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
        containerProperties.setPollTimeout(properties.pollTimeout().toMillis());
        containerProperties.setIdleEventInterval(IDLE_COMMIT_INTERVAL.toMillis());
        containerProperties.setMessageListener(
                (BatchAcknowledgingConsumerAwareMessageListener<String, byte[]>) (records, acknowledgment, consumer) -> {
                    for (int i = 0; i < records.size(); i++) {
                        ConsumerRecord<String, byte[]> record = records.get(i);
                        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                        holdable.set(new Holdable(offsets, partition, record.offset()));
                        boolean done;
                        try {
                            done = handle(record, group, handled, handler);
                        } finally {
                            holdable.remove();
                        }
                        if (!done) {
                            // Neither this record nor the ones after it count as handled: committed past, they
                            // would be lost to the partition's next owner after a stop.
                            unpoll(consumer, records.subList(i, records.size()));
                            break;
                        }
                        offsets.handled(partition, record.offset());
                    }
                    // What the handlers published must be on the brokers before the commit: sends are asynchronous,
                    // and a process killed between the commit and its sends would lose the records it had routed
                    // (the next owner of the partition starts after them).
                    template.flush();
                    commit(consumer, offsets.toCommit(consumer.assignment()), false);
                });
        containerProperties.setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                             Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    reassigned.getOrDefault(reassignmentKey(topic, group), List.of()).forEach(Runnable::run);
                }
            }

            @Override
            public void onPartitionsRevokedBeforeCommit(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                                        Collection<TopicPartition> partitions) {
                if (!offsets.awaitReleased(partitions, REVOKE_HOLD_WAIT)) {
                    log.info("records of {} still held after {}: their next owner handles them again", partitions,
                            REVOKE_HOLD_WAIT);
                }
                commitPublished(consumer, offsets.toCommit(partitions), true);
                offsets.forget(partitions);
            }

            @Override
            public void onPartitionsLost(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                         Collection<TopicPartition> partitions) {
                offsets.forget(partitions);
            }
        });
        ConcurrentMessageListenerContainer<String, byte[]> container =
                new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
        // Idle events come on the consumer's thread, the only one that may commit: holds released while no record
        // comes are committed then.
        container.setApplicationEventPublisher(event -> {
            if (event instanceof ListenerContainerIdleEvent idle) {
                commitPublished(idle.getConsumer(), offsets.toCommit(idle.getConsumer().assignment()), false);
            }
        });
        container.setConcurrency(properties.concurrency());
        container.setBeanName(properties.clientId() + "-" + topic + "-" + group);
        containers.add(container);
        container.start();
        return () -> {
            containers.remove(container);
            container.stop();
        };
    }

    @Override
    public Optional<Hold> hold() {
        Holdable current = holdable.get();
        if (current == null) {
            return Optional.empty();
        }
        Hold held = current.offsets().hold(current.partition(), current.offset());
        DerivedPublications publications = handling.get();
        return Optional.of(new Hold() {
            @Override
            public void release() {
                held.release();
            }

            @Override
            public void within(Runnable work) {
                handling.set(publications);
                try {
                    work.run();
                } finally {
                    handling.remove();
                }
            }
        });
    }

    /**
     * Commits records released from a hold since the last poll: what their holders published after the poll's flush
     * must be on the brokers first, as for the poll's own records.
     */
    private void commitPublished(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                                 Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync) {
        if (!offsets.isEmpty()) {
            template.flush();
            commit(consumer, offsets, sync);
        }
    }

    /** Commits {@code offsets} on the consumer's thread; synchronously when the partitions are being given up. */
    private static void commit(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                               Map<TopicPartition, OffsetAndMetadata> offsets, boolean sync) {
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                log.warn("could not commit {} before giving the partitions up: they will be handled again", offsets, e);
            }
            return;
        }
        consumer.commitAsync(offsets, (committed, failure) -> {
            if (failure != null) {
                log.warn("could not commit {}: a successor would handle those records again", offsets, failure);
            }
        });
    }

    /**
     * Rewinds the consumer to the first of {@code unhandled} on each of their partitions, so that they are polled
     * again if this consumer goes on, and left for the next owner if it is stopping.
     */
    private static void unpoll(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                               List<ConsumerRecord<String, byte[]>> unhandled) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : unhandled) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    /**
     * Hands {@code record} to {@code handler}, again while it fails on a store that may answer later; false when a wait
     * between attempts was interrupted, so the record was neither handled nor given up.
     */
    private boolean handle(ConsumerRecord<String, byte[]> record, String group, RecentlyHandled handled,
                           Consumer<BusMessage> handler) {
        String messageId = StanzaRecords.messageId(record);
        String dedupKey = messageId == null ? null : record.topic() + ' ' + record.key() + ' ' + messageId;
        if (dedupKey != null && handled.contains(dedupKey)) {
            log.debug("dropped a redelivered record {} on {}", messageId, record.topic());
            return true;
        }
        BusMessage message;
        try {
            message = records.fromRecord(record);
        } catch (RuntimeException e) {
            log.error("skipped an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return true;
        }
        for (int attempt = 0; ; attempt++) {
            // Afresh for each attempt: what a retried handler publishes again gets the ids it got the first time.
            handling.set(messageId == null ? null : new DerivedPublications(group + ' ' + messageId));
            try {
                handler.accept(message);
                break;
            } catch (RuntimeException e) {
                if (attempt >= properties.handlerRetries() || !TransientStoreFailure.is(e)) {
                    log.error("handler of {} (group {}) failed on the record at {}-{}@{}", record.topic(), group,
                            record.topic(), record.partition(), record.offset(), e);
                    break;
                }
                if (!waitBeforeRetry(attempt)) {
                    log.warn("interrupted before handling the record at {}-{}@{} again ({}): it is polled again",
                            record.topic(), record.partition(), record.offset(), e.toString());
                    return false;
                }
                log.warn("handler of {} (group {}) failed on the record at {}-{}@{} ({}); handling it again",
                        record.topic(), group, record.topic(), record.partition(), record.offset(), e.toString());
            } finally {
                handling.remove();
            }
        }
        if (dedupKey != null) {
            handled.add(dedupKey);
        }
        return true;
    }

    /**
     * Waits before attempt {@code attempt + 1}; false when interrupted. The interrupt is answered by leaving the record
     * unhandled (the caller rewinds to it), not kept: with the flag set, the consumer's own calls that follow would fail
     * (Kafka's {@code InterruptException}), and the container stops by its own flag, not by interrupts.
     */
    private boolean waitBeforeRetry(int attempt) {
        try {
            Thread.sleep(properties.handlerRetryBackoff().toMillis() << attempt);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void ensureTopic(String topic) {
        if (knownTopics.contains(topic)) {
            return;
        }
        NewTopic newTopic = new NewTopic(topic, properties.partitions(), properties.replicationFactor());
        long deadline = System.nanoTime() + properties.topicTimeout().toNanos();
        try {
            try {
                admin.createTopics(List.of(newTopic)).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                log.info("created topic {} ({} partitions, replication factor {})", topic, properties.partitions(),
                        properties.replicationFactor());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + topic, e.getCause());
                }
            }
            awaitLeaders(topic, deadline);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create topic " + topic + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
        knownTopics.add(topic);
    }

    /**
     * Waits until every partition of a new topic has a leader that serves it. A consumer group that is assigned
     * partitions from metadata taken earlier gets only some of them, and would not see the rest before its next
     * metadata refresh: the users keyed to those partitions would wait that long for their stanzas. And a broker
     * names itself leader in its metadata a moment before it takes the partition on: an idempotent producer whose
     * first request to the partition is refused then (NOT_LEADER_OR_FOLLOWER) while its second one is written retries
     * the first until it expires (KAFKA-15591), so those stanzas would be lost. A leader answers a {@code ListOffsets}
     * only once it has taken the partition on.
     */
    private void awaitLeaders(String topic, long deadline) throws InterruptedException, TimeoutException {
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    description.partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                    admin.listOffsets(ends).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                log.debug("topic {} not served by its leaders yet", topic, e.getCause());
            }
            if (remainingMillis(deadline) <= 0) {
                throw new TimeoutException("partitions of " + topic + " have no leader yet");
            }
            Thread.sleep(50);
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    @Override
    public void intercept(BusInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    /**
     * Committed offsets of every consumer group against the partitions' ends, as {@code kafka-consumer-groups} shows. A
     * partition of a group's topic on which the group has committed nothing yet counts from where the group would
     * start ({@code auto-offset-reset}): all of it when that is {@code earliest}, nothing when {@code latest}.
     */
    @Override
    public List<ConsumerLag> consumerLag(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
            for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(remaining(deadline), TimeUnit.NANOSECONDS)) {
                committed.put(group.groupId(), admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(remaining(deadline), TimeUnit.NANOSECONDS));
            }
            Set<String> topics = new HashSet<>();
            committed.values().forEach(offsets -> offsets.keySet().forEach(p -> topics.add(p.topic())));
            Map<String, List<TopicPartition>> partitionsOf = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(remaining(deadline), TimeUnit.NANOSECONDS)
                    .forEach((topic, description) -> partitionsOf.put(topic, description.partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition())).toList()));
            List<TopicPartition> partitions = partitionsOf.values().stream().flatMap(List::stream).toList();
            Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest(), deadline);
            Map<TopicPartition, Long> starts = properties.autoOffsetReset().equals("earliest")
                    ? offsets(partitions, OffsetSpec.earliest(), deadline) : ends;
            List<ConsumerLag> lags = new ArrayList<>();
            committed.forEach((group, offsets) -> offsets.keySet().stream().map(TopicPartition::topic).distinct().sorted()
                    .forEach(topic -> lags.add(new ConsumerLag(group, topic, partitionsOf.getOrDefault(topic, List.of())
                            .stream().mapToLong(p -> {
                                OffsetAndMetadata offset = offsets.get(p);
                                long from = offset != null ? offset.offset() : starts.getOrDefault(p, 0L);
                                return Math.max(0, ends.getOrDefault(p, 0L) - from);
                            }).sum()))));
            return lags;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka for consumer lag", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not tell the consumer lag: " + e.getMessage(), e);
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        partitions.forEach(p -> wanted.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(wanted).all().get(remaining(deadline), TimeUnit.NANOSECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    @Override
    public void close() {
        containers.forEach(ConcurrentMessageListenerContainer::stop);
        containers.clear();
        producerFactory.destroy();
        admin.close();
    }

    private Map<String, Object> clientConfig(String role) {
        Map<String, Object> config = new HashMap<>(properties.properties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, properties.clientId() + "-" + role);
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = clientConfig("producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A stanza is a chat line someone waits for: send at once (Kafka 4 waits 5 ms to fill batches by
        // default). Under load, records still batch while earlier requests are in flight.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = clientConfig("consumer");
        config.remove(CommonClientConfigs.CLIENT_ID_CONFIG); // the container names each consumer after its group
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, properties.autoOffsetReset());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) properties.maxPollInterval().toMillis());
        // A consumer that dies (kill -9, a lost machine) keeps its partitions until the session times out:
        // 10 s rather than Kafka's 45 s, so another router takes over that users' stanzas sooner.
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        // A partition added or led anew is noticed within this (Kafka's default is five minutes).
        config.putIfAbsent(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 30_000);
        return config;
    }
}
