package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.session.CachingSessionRegistry;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.RegistryConfiguration;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.InMemoryResumptionStore;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.xmpp.xml.XmlElement;
import io.lettuce.core.resource.ClientResources;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

class RedisRegistryConfigurationTest {

    /** Lettuce's threads for the factories the settings tests make and never start. */
    private static final ClientResources SETTINGS_ONLY_RESOURCES = ClientResources.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(RegistryConfiguration.class, RedisRegistryConfiguration.class));

    @AfterAll
    static void shutDownSettingsOnlyResources() {
        SETTINGS_ONLY_RESOURCES.shutdown();
    }

    @Test
    void withoutTheRegistryTypeTheInMemoryRegistryStays() {
        runner.run(context -> {
            assertThat(context).getBean(SessionRegistry.class).isInstanceOf(InMemorySessionRegistry.class);
            assertThat(context).getBean(ResumptionStore.class).isInstanceOf(InMemoryResumptionStore.class);
        });
    }

    @Test
    void registryTypeRedisWiresTheRedisRegistryAndTheSweeper() {
        RedisProcess.flushed();
        runner.withPropertyValues("aviary.registry.type=redis",
                        "aviary.registry.redis.url=redis://127.0.0.1:" + RedisProcess.port(),
                        "aviary.registry.redis.gateway-ttl=20s")
                .run(context -> {
                    assertThat(context).hasSingleBean(SessionRegistry.class).hasSingleBean(DeadGatewaySweeper.class);
                    assertThat(context).getBean(ResumptionStore.class).isInstanceOf(RedisResumptionStore.class);
                    assertThat(context.getBean(RedisRegistryProperties.class))
                            .extracting(RedisRegistryProperties::sessionTtl, RedisRegistryProperties::gatewayTtl,
                                    RedisRegistryProperties::heartbeatInterval)
                            .containsExactly(Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofSeconds(10));
                    SessionRegistry registry = context.getBean(SessionRegistry.class);
                    assertThat(registry).isInstanceOf(RedisSessionRegistry.class);
                    registry.bind(SessionEntry.bound(JidCreate.entityFullFrom("juliet@example.com/balcony"), "gw1", "c1"));
                    assertThat(registry.sessionsOf("gw1")).hasSize(1);
                });
    }

    @Test
    void withTheCacheEnabledTheRegistryIsCachedAndListensForChanges() {
        RedisProcess.flushed();
        runner.withPropertyValues("aviary.registry.type=redis",
                        "aviary.registry.redis.url=redis://127.0.0.1:" + RedisProcess.port(),
                        "aviary.registry.redis.cache.enabled=true")
                .run(context -> {
                    assertThat(context).getBean(SessionRegistry.class).isInstanceOf(CachingSessionRegistry.class);
                    assertThat(context).hasSingleBean(RedisMessageListenerContainer.class);
                });
    }

    @Test
    void theClientTakesTheCommandTimeoutAndTlsFromTheSettings() {
        // Only the settings are bound: a whole context would wait for a Redis at redis.example.
        ApplicationContextRunner settings = new ApplicationContextRunner().withUserConfiguration(SettingsOnly.class);
        settings.withPropertyValues("aviary.registry.redis.url=rediss://redis.example:6380/2",
                        "aviary.registry.redis.command-timeout=300ms")
                .run(context -> {
                    LettuceConnectionFactory factory = factoryFrom(context);
                    assertThat(factory.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(300));
                    assertThat(factory.getClientConfiguration().isUseSsl()).as("rediss://").isTrue();
                    assertThat(factory.getHostName()).isEqualTo("redis.example");
                    assertThat(factory.getPort()).isEqualTo(6380);
                    assertThat(factory.getDatabase()).isEqualTo(2);
                });
        settings.run(context -> assertThat(factoryFrom(context).getClientConfiguration().getCommandTimeout())
                .as("the default").isEqualTo(Duration.ofSeconds(2)));
    }

    /**
     * A new connection's handshake has command-timeout to finish, which a service starting on a busy machine can miss
     * (a gateway of the local cluster did once in ten starts). Beans that write to Redis while the context is made then
     * failed the whole start; now the context waits for Redis to answer first.
     */
    @Test
    void aServiceStartsWhenRedisAnswersLaterThanTheCommandTimeout() {
        StringRedisTemplate other = RedisProcess.flushed();
        // Redis holds every client's commands for 1.5 s, five times the command timeout.
        other.execute((RedisCallback<Object>) connection -> connection.execute("CLIENT",
                "PAUSE".getBytes(StandardCharsets.UTF_8), "1500".getBytes(StandardCharsets.UTF_8)));
        runner.withUserConfiguration(WritesWhileStarting.class)
                .withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.url=" + RedisProcess.url(),
                        "aviary.registry.redis.command-timeout=300ms", "aviary.registry.redis.startup-wait=10s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(other.opsForValue().get("starts")).isEqualTo("1");
                });
    }

    @Test
    void aServiceDoesNotStartWhenRedisDoesNotAnswerWithinTheStartupWait() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.url=redis://127.0.0.1:" + closedPort,
                        "aviary.registry.redis.startup-wait=1s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(ConnectException.class));
    }

    /**
     * Redis answers in order, so a command that timed out on the client may still run. An append sent without waiting
     * (a router's, to a XEP-0198 queue) gets its position from a Redis that answers late, instead of failing at
     * command-timeout and having the router deliver the stanza as not queued; a command waited for still gives up then.
     */
    @Test
    void aLateRedisStillAnswersAnAppendSentWithoutWaitingWhileACommandWaitedForTimesOut() {
        StringRedisTemplate other = RedisProcess.flushed();
        runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.url=" + RedisProcess.url(),
                        "aviary.registry.redis.command-timeout=300ms", "aviary.registry.redis.async-timeout=10s")
                .run(context -> {
                    ResumptionStore store = context.getBean(ResumptionStore.class);
                    store.open(new ResumableSession("sm-late", JidCreate.entityFullFrom("juliet@example.com/balcony"),
                            "gw1", "c1", Duration.ofMinutes(1), 10));
                    // Redis holds every client's commands for 1.5 s, as a Redis on a loaded machine answers late.
                    other.execute((RedisCallback<Object>) connection -> connection.execute("CLIENT",
                            "PAUSE".getBytes(StandardCharsets.UTF_8), "1500".getBytes(StandardCharsets.UTF_8)));
                    CompletableFuture<Long> appended = store.appendLater("sm-late",
                            XmlElement.builder("message", "jabber:client").textChild("body", "late").build());

                    assertThatThrownBy(() -> store.state("sm-late")).isInstanceOf(QueryTimeoutException.class);
                    assertThat(appended.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
                    assertThat(store.after("sm-late", 0)).hasSize(1);
                });
    }

    @Test
    void anAsyncTimeoutShorterThanTheCommandTimeoutIsRejected() {
        runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.async-timeout=1s")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void aHeartbeatIntervalNotShorterThanTheGatewayTtlIsRejected() {
        runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.heartbeat-interval=30s")
                .run(context -> assertThat(context).hasFailed());
    }

    /**
     * Lettuce's own delay between reconnects doubles up to 30 s, so a service whose Redis was away for half a minute
     * found it back up to 30 s late, its logins and registry writes failing meanwhile. Here Redis is away for 25 s;
     * Lettuce's own attempts come about 17 and 34 s after the loss, so the first command after Redis is back waited
     * 8.6 s for the reconnect (measured) and times out at 3 s. With the registry's reconnect delay it is answered (in
     * 94 ms when measured).
     */
    @Test
    void aRedisBackAfterSecondsAwayIsReconnectedToWithinTheReconnectDelay() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("aviary-redis-away");
        Process[] redis = {RedisProcess.launch(port, dir)};
        try {
            runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.url=redis://127.0.0.1:" + port,
                            "aviary.registry.redis.command-timeout=3s", "aviary.registry.redis.reconnect-delay=200ms")
                    .run(context -> {
                        StringRedisTemplate registry = context.getBean("registryRedisTemplate", StringRedisTemplate.class);
                        registry.opsForValue().set("before", "1");
                        redis[0].destroyForcibly().waitFor();
                        Thread.sleep(25_000);
                        redis[0] = RedisProcess.launch(port, dir);

                        registry.opsForValue().set("after", "1");
                        assertThat(registry.opsForValue().get("after")).isEqualTo("1");
                    });
        } finally {
            redis[0].destroyForcibly().waitFor();
        }
    }

    /**
     * A Redis that lost its data (restarted without persistence) holds no capability declarations until the services
     * write theirs again, and meanwhile the router answers {@code remote-server-not-found} for rooms, pubsub and upload.
     * They were written every 30 s: the local cluster's trial saw a room join refused 4 s after Redis came back.
     */
    @Test
    void aServicesCapabilitiesAreBackInRedisSecondsAfterItLostItsData() throws Exception {
        StringRedisTemplate other = RedisProcess.flushed();
        String key = RegistryKeys.CAPABILITIES + "muc";
        runner.withPropertyValues("aviary.registry.type=redis", "aviary.registry.redis.url=" + RedisProcess.url())
                .run(context -> {
                    context.getBean(CapabilityCatalogue.class).publish("muc", List.of(Declaration.builder("muc").build()));
                    assertThat(other.hasKey(key)).isTrue();
                    RedisProcess.flushed();
                    assertThat(other.hasKey(key)).isFalse();

                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    while (!other.hasKey(key) && System.nanoTime() - deadline < 0) {
                        Thread.sleep(100);
                    }
                    assertThat(other.hasKey(key)).as("written again within 15 s").isTrue();
                });
    }

    private static LettuceConnectionFactory factoryFrom(ApplicationContext context) {
        RedisRegistryConfiguration configuration = new RedisRegistryConfiguration();
        RedisRegistryProperties properties = context.getBean(RedisRegistryProperties.class);
        return configuration.registryRedisConnectionFactory(properties, SETTINGS_ONLY_RESOURCES);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RedisRegistryProperties.class)
    static class SettingsOnly {
    }

    /** Writes to Redis while the context is made, as the capability catalogue and a gateway's heartbeat do. */
    @Configuration(proxyBeanMethods = false)
    static class WritesWhileStarting {

        @Bean
        Long starts(StringRedisTemplate registryRedisTemplate) {
            return registryRedisTemplate.opsForValue().increment("starts");
        }
    }
}
