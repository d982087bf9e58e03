package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.CachingSessionRegistry;
import io.aviary.session.SessionEntry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** A router's cache sees what gateways and the sweeper change in Redis, long before its TTL. */
class RegistryChangesTest {

    private static final EntityBareJid JULIET = JidCreate.entityBareFromOrThrowUnchecked("juliet@example.com");
    private static final EntityFullJid BALCONY = JidCreate.entityFullFromOrThrowUnchecked("juliet@example.com/balcony");

    private StringRedisTemplate redis;
    private CachingSessionRegistry router;
    private RedisSessionRegistry gateway;
    private RedisMessageListenerContainer changes;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.flushed();
        router = new CachingSessionRegistry(new RedisSessionRegistry(redis, Duration.ofMinutes(5)),
                Duration.ofMinutes(10), 1_000);
        gateway = new RedisSessionRegistry(redis, Duration.ofMinutes(5));
        changes = RegistryChanges.listenerFor(redis.getConnectionFactory(), router);
        changes.afterPropertiesSet();
        changes.start();
        // A (re)subscription empties the cache; wait for it, or it would hide a missing change notice.
        eventually("the listener subscribed", this::subscribers, n -> n == 1L);
        Thread.sleep(200);
    }

    private long subscribers() {
        return redis.execute(RedisScript.of("return redis.call('PUBSUB', 'NUMSUB', ARGV[1])[2]", Long.class),
                List.of(), RegistryKeys.CHANGES);
    }

    @AfterEach
    void stop() throws Exception {
        changes.destroy();
    }

    private static <T> void eventually(String what, Supplier<T> read, Predicate<T> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.test(read.get())) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void bindPresenceAndUnbindByAnotherInstanceReachTheCache() throws Exception {
        assertThat(router.sessions(JULIET)).isEmpty();
        gateway.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        eventually("the bind reached the cache", () -> router.session(BALCONY), Optional::isPresent);
        gateway.updatePresence(BALCONY, "c1", 4, true);
        eventually("the presence reached the cache", () -> router.session(BALCONY),
                entry -> entry.map(SessionEntry::available).orElse(false));
        gateway.unbind(BALCONY, "c1");
        eventually("the unbind reached the cache", () -> router.sessions(JULIET), List::isEmpty);
    }

    @Test
    void sweptSessionsLeaveTheCache() throws Exception {
        new GatewayHeartbeat(redis, "gw1", new RedisRegistryProperties("unused", Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ZERO, Duration.ofSeconds(1), 20_000, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(1), new RedisRegistryProperties.Cache(false,
                Duration.ofSeconds(1), 1))).refresh();
        gateway.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        eventually("the bind reached the cache", () -> router.session(BALCONY), Optional::isPresent);
        eventually("gw1 died and was swept", () -> new DeadGatewaySweeper(redis).sweep().removed(), removed -> !removed.isEmpty());
        eventually("the sweep reached the cache", () -> router.sessions(JULIET), List::isEmpty);
    }
}
