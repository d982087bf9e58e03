package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.SessionEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.data.redis.core.StringRedisTemplate;

/** TTLs, heartbeats and the sweeping of dead gateways, on a real redis-server with short TTLs. */
class RedisRegistryLivenessTest {

    private static final RedisRegistryProperties SHORT = new RedisRegistryProperties("unused", Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ZERO, Duration.ofSeconds(1), 20_000, Duration.ofMillis(1_500), Duration.ofMillis(400), Duration.ofMillis(100), Duration.ofMillis(100),
            new RedisRegistryProperties.Cache(false, Duration.ofSeconds(5), 100));

    private StringRedisTemplate redis;
    private RedisSessionRegistry registry;

    @BeforeEach
    void flush() {
        redis = RedisProcess.flushed();
        registry = new RedisSessionRegistry(redis, SHORT.sessionTtl());
    }

    private static EntityFullJid jid(String full) throws Exception {
        return JidCreate.entityFullFrom(full);
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void sessionsWithoutHeartbeatExpireAfterTheSessionTtl() throws Exception {
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        assertThat(redis.getExpire(RegistryKeys.account(jid("juliet@example.com/balcony").asEntityBareJid())))
                .isPositive();
        eventually("the session expired", () -> registry.sessionsOf("gw1").isEmpty()
                && registry.sessions(JidCreate.entityBareFromOrThrowUnchecked("juliet@example.com")).isEmpty());
    }

    @Test
    void heartbeatsKeepSessionsAliveBeyondTheSessionTtl() throws Exception {
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        try (GatewayHeartbeat heartbeat = new GatewayHeartbeat(redis, "gw1", SHORT)) {
            heartbeat.start(() -> { });
            Thread.sleep(3 * SHORT.sessionTtl().toMillis());
            assertThat(registry.session(jid("juliet@example.com/balcony"))).isPresent();
            assertThat(registry.sessionsOf("gw1")).containsExactly(jid("juliet@example.com/balcony"));
            assertThat(heartbeat.refresh()).as("still known").isTrue();
        }
    }

    @Test
    void heartbeatsExtendEveryKeyOfTheAccountsWithASessionOnTheGateway() throws Exception {
        EntityBareJid juliet = JidCreate.entityBareFrom("juliet@example.com");
        EntityBareJid romeo = JidCreate.entityBareFrom("romeo@example.net");
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        registry.bind(SessionEntry.bound(jid("juliet@example.com/chamber"), "gw1", "c2"));
        registry.bind(SessionEntry.bound(jid("romeo@example.net/orchard"), "gw2", "c3"));
        List<String> julietsKeys = List.of(RegistryKeys.account(juliet), RegistryKeys.presence(juliet),
                RegistryKeys.rosterInterest(juliet));
        List<String> romeosKeys = List.of(RegistryKeys.account(romeo), RegistryKeys.presence(romeo),
                RegistryKeys.rosterInterest(romeo));
        for (EntityBareJid account : List.of(juliet, romeo)) {
            redis.opsForHash().put(RegistryKeys.presence(account), "any", "0\t<presence xmlns='jabber:client'/>");
            redis.opsForSet().add(RegistryKeys.rosterInterest(account), account + "/any");
        }
        Stream.concat(julietsKeys.stream(), romeosKeys.stream())
                .forEach(key -> redis.expire(key, Duration.ofMillis(1_000)));

        new GatewayHeartbeat(redis, "gw1", SHORT).refresh();

        assertThat(julietsKeys).allSatisfy(key -> assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS))
                .as(key).isGreaterThan(1_000).isLessThanOrEqualTo(SHORT.sessionTtl().toMillis()));
        assertThat(romeosKeys).as("romeo is on another gateway").allSatisfy(key ->
                assertThat(redis.getExpire(key, TimeUnit.MILLISECONDS)).as(key).isBetween(0L, 1_000L));
    }

    @Test
    void theSweeperEndsTheSessionsOfAGatewayThatStoppedBeatingAndOnlyThose() throws Exception {
        DeadGatewaySweeper sweeper = new DeadGatewaySweeper(redis);
        try (GatewayHeartbeat dying = new GatewayHeartbeat(redis, "gw1", SHORT);
             GatewayHeartbeat living = new GatewayHeartbeat(redis, "gw2", SHORT)) {
            dying.start(() -> { });
            living.start(() -> { });
            registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
            registry.bind(SessionEntry.bound(jid("romeo@example.net/orchard"), "gw1", "c2"));
            registry.bind(SessionEntry.bound(jid("juliet@example.com/chamber"), "gw2", "c3"));
            registry.updatePresence(jid("juliet@example.com/balcony"), "c1", 5, true);
            assertThat(sweeper.sweep().removed()).isEmpty();

            dying.close();
            eventually("gw1's liveness key expired",
                    () -> !Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))));
            assertThat(sweeper.sweep().removed()).containsExactlyInAnyOrder(
                    new SessionEntry(jid("juliet@example.com/balcony"), "gw1", "c1", 5, true),
                    SessionEntry.bound(jid("romeo@example.net/orchard"), "gw1", "c2"));

            assertThat(registry.sessionsOf("gw1")).isEmpty();
            assertThat(registry.sessions(JidCreate.entityBareFrom("juliet@example.com")))
                    .extracting(SessionEntry::connectionId).containsExactly("c3");
            assertThat(registry.sessions(JidCreate.entityBareFrom("romeo@example.net"))).isEmpty();
            assertThat(sweeper.sweep().removed()).as("a second sweep finds nothing").isEmpty();
            assertThat(redis.opsForSet().members(RegistryKeys.GATEWAYS)).containsExactly("gw2");
            assertThat(registry.gateways()).as("what the admin views list").containsExactly("gw2");
        }
    }

    @Test
    void theSweepTakesTheDirectedPresenceOfTheSessionsItEndsAndHeartbeatsKeepIt() throws Exception {
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        EntityFullJid orchard = jid("romeo@example.net/orchard");
        GatewayHeartbeat heartbeat = new GatewayHeartbeat(redis, "gw1", SHORT);
        heartbeat.refresh();
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        registry.bind(SessionEntry.bound(orchard, "gw1", "c2"));
        registry.directedPresence(balcony, "c1", "coven@conference.example.com/juliet", true);
        registry.directedPresence(balcony, "c1", "lounge@conference.example.com/jules", true);
        redis.expire(RegistryKeys.directedPresence(balcony), Duration.ofMillis(1_000));
        heartbeat.refresh();
        assertThat(redis.getExpire(RegistryKeys.directedPresence(balcony), TimeUnit.MILLISECONDS))
                .as("extended with the account's keys").isGreaterThan(1_000);

        eventually("gw1's liveness key expired",
                () -> !Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))));
        DeadGatewaySweeper.Sweep sweep = new DeadGatewaySweeper(redis).sweep();

        assertThat(sweep.removed()).extracting(SessionEntry::jid).containsExactlyInAnyOrder(balcony, orchard);
        assertThat(sweep.directedPresenceOf(balcony))
                .containsExactlyInAnyOrder("coven@conference.example.com/juliet", "lounge@conference.example.com/jules");
        assertThat(sweep.directedPresenceOf(orchard)).isEmpty();
        assertThat(registry.takeDirectedPresence(balcony)).as("taken by the sweep").isEmpty();
    }

    @Test
    void aResourceReboundOnALiveGatewayIsNotSweptWithItsDeadPredecessor() throws Exception {
        DeadGatewaySweeper sweeper = new DeadGatewaySweeper(redis);
        new GatewayHeartbeat(redis, "gw1", SHORT).refresh();
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        eventually("gw1's liveness key expired",
                () -> !Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))));
        // Juliet logs in again on another gateway before session-service noticed.
        assertThat(registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw2", "c9"))).isPresent();
        assertThat(sweeper.sweep().removed()).isEmpty();
        assertThat(registry.session(jid("juliet@example.com/balcony"))).get()
                .extracting(SessionEntry::connectionId).isEqualTo("c9");
    }

    @Test
    void aGatewayThatBeatsAgainBeforeTheSweepKeepsItsSessions() throws Exception {
        GatewayHeartbeat heartbeat = new GatewayHeartbeat(redis, "gw1", SHORT);
        assertThat(heartbeat.refresh()).as("unknown on the first beat").isFalse();
        registry.bind(SessionEntry.bound(jid("juliet@example.com/balcony"), "gw1", "c1"));
        eventually("gw1's liveness key expired",
                () -> !Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))));
        assertThat(heartbeat.refresh()).as("known: not swept yet").isTrue();
        assertThat(new DeadGatewaySweeper(redis).sweep().removed()).isEmpty();
        assertThat(registry.sessionsOf("gw1")).containsExactly(jid("juliet@example.com/balcony"));
    }

    @Test
    void aGatewayLearnsWhenTheRegistryForgotIt() throws Exception {
        GatewayHeartbeat swept = new GatewayHeartbeat(redis, "gw1", SHORT);
        swept.refresh();
        eventually("gw1's liveness key expired",
                () -> !Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive("gw1"))));
        new DeadGatewaySweeper(redis).sweep();
        assertThat(swept.refresh()).as("swept while it was paused").isFalse();

        CountDownLatch forgotten = new CountDownLatch(1);
        try (GatewayHeartbeat heartbeat = new GatewayHeartbeat(redis, "gw2", SHORT)) {
            heartbeat.start(forgotten::countDown);
            Thread.sleep(3 * SHORT.heartbeatInterval().toMillis());
            assertThat(forgotten.getCount()).as("not forgotten while Redis keeps its data").isEqualTo(1);
            RedisProcess.flushed(); // what a Redis restart without persistence leaves
            assertThat(forgotten.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
