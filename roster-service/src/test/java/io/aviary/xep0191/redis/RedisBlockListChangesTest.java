package io.aviary.xep0191.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.redis.RedisProcess;
import io.aviary.session.redis.RegistryKeys;
import io.aviary.xep0191.CachingBlockListStore;
import io.aviary.xep0191.InMemoryBlockListStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Two instances with their own block list caches over one database (the roster service that handles the
 * XEP-0191 command, and a router that checks every stanza): a change made through one reaches the other's
 * cache through a real redis-server, long before the cache's TTL.
 */
class RedisBlockListChangesTest {

    private static final Duration LONG_TTL = Duration.ofMinutes(10);

    private final InMemoryBlockListStore database = new InMemoryBlockListStore();
    private StringRedisTemplate redis;
    private CachingBlockListStore rosterService;
    private CachingBlockListStore router;
    private RedisMessageListenerContainer rosterServiceListener;
    private RedisMessageListenerContainer routerListener;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.flushed();
        rosterService = new CachingBlockListStore(database, LONG_TTL, 1_000, new RedisBlockListChanges(redis));
        router = new CachingBlockListStore(database, LONG_TTL, 1_000, new RedisBlockListChanges(redis));
        rosterServiceListener = started(rosterService);
        routerListener = started(router);
        eventually("both listeners subscribed", this::subscribers, n -> n == 2L);
        Thread.sleep(200); // a (re)subscription empties the cache: let it pass before the test fills it
    }

    private RedisMessageListenerContainer started(CachingBlockListStore cache) throws Exception {
        RedisMessageListenerContainer container = RedisBlockListChanges.listenerFor(redis.getConnectionFactory(), cache);
        container.afterPropertiesSet();
        container.start();
        return container;
    }

    @AfterEach
    void stop() throws Exception {
        rosterServiceListener.destroy();
        routerListener.destroy();
    }

    @Test
    void aBlockThroughOneInstanceReachesTheOthersCache() throws Exception {
        assertThat(router.blocked("juliet")).isEmpty();

        rosterService.block("juliet", List.of("romeo@montague.net"));
        eventually("the block reached the router", () -> router.blocked("juliet"),
                list -> list.equals(Set.of("romeo@montague.net")));

        rosterService.clear("juliet");
        eventually("the unblock-all reached the router", () -> router.blocked("juliet"), Set::isEmpty);
    }

    @Test
    void aRedisRestartDropsWhatWasCachedSinceNoticesMayHaveBeenLost() throws Exception {
        assertThat(router.blocked("juliet")).isEmpty();
        RedisProcess.restart();
        // Written while the listeners are not (yet) subscribed again: no notice reaches the router ...
        database.block("juliet", List.of("romeo@montague.net"));
        // ... but its resubscription drops the cache.
        eventually("the router read the list again", () -> router.blocked("juliet"),
                list -> list.equals(Set.of("romeo@montague.net")));
    }

    @Test
    void aWriteIsMadeEvenWhenItCannotBeAnnounced() throws Exception {
        LettuceConnectionFactory nowhere = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                unusedPort()));
        nowhere.afterPropertiesSet();
        nowhere.start();
        try {
            CachingBlockListStore cutOff = new CachingBlockListStore(database, LONG_TTL, 1_000,
                    new RedisBlockListChanges(new StringRedisTemplate(nowhere)));
            assertThat(cutOff.blocked("juliet")).isEmpty();

            cutOff.block("juliet", List.of("romeo@montague.net"));

            assertThat(cutOff.blocked("juliet")).containsExactly("romeo@montague.net");
            assertThat(database.blocked("juliet")).containsExactly("romeo@montague.net");
        } finally {
            nowhere.destroy();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private long subscribers() {
        return redis.execute(RedisScript.of("return redis.call('PUBSUB', 'NUMSUB', ARGV[1])[2]", Long.class),
                List.of(), RegistryKeys.BLOCK_LIST_CHANGES);
    }

    private static <T> void eventually(String what, Supplier<T> read, Predicate<T> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.test(read.get())) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
