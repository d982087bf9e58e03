package io.aviary.xep0191;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cache keeps {@link BlockListStore}'s contract, and never serves a list older than the last change it
 * was told of. "The database" is an {@link InMemoryBlockListStore} that other instances write to directly.
 */
class CachingBlockListStoreTest extends BlockListStoreContract {

    private final InMemoryBlockListStore database = new InMemoryBlockListStore();
    private final List<String> announced = new ArrayList<>();

    @Override
    protected BlockListStore newStore() {
        return new CachingBlockListStore(new InMemoryBlockListStore(), Duration.ofMinutes(10), 1_000, announced::add);
    }

    private CachingBlockListStore cacheOf(BlockListStore store, Duration ttl, long size) {
        return new CachingBlockListStore(store, ttl, size, announced::add);
    }

    @Test
    void aListChangedElsewhereIsServedFromMemoryUntilTheNoticeArrives() {
        CachingBlockListStore cache = cacheOf(database, Duration.ofMinutes(10), 1_000);
        assertThat(cache.blocked("juliet")).isEmpty();

        database.block("juliet", List.of("romeo@montague.net"));
        assertThat(cache.blocked("juliet")).as("the empty list is cached").isEmpty();

        cache.invalidate("juliet");
        assertThat(cache.blocked("juliet")).containsExactly("romeo@montague.net");

        database.clear("juliet");
        cache.invalidateAll();
        assertThat(cache.blocked("juliet")).isEmpty();
    }

    @Test
    void everyWriteIsSeenAtOnceAndAnnounced() {
        CachingBlockListStore cache = cacheOf(database, Duration.ofMinutes(10), 1_000);
        assertThat(cache.blocked("juliet")).isEmpty();

        cache.block("juliet", List.of("romeo@montague.net"));
        assertThat(cache.blocked("juliet")).containsExactly("romeo@montague.net");
        cache.unblock("juliet", List.of("romeo@montague.net"));
        assertThat(cache.blocked("juliet")).isEmpty();
        cache.block("juliet", List.of("tybalt@capulet.com"));
        cache.clear("juliet");
        assertThat(cache.blocked("juliet")).isEmpty();

        assertThat(announced).containsExactly("juliet", "juliet", "juliet", "juliet");
    }

    @Test
    void aListIsReadAgainOnceItsTtlIsOver() throws Exception {
        CachingBlockListStore cache = cacheOf(database, Duration.ofMillis(50), 1_000);
        assertThat(cache.blocked("juliet")).isEmpty();
        database.block("juliet", List.of("romeo@montague.net"));

        Thread.sleep(200);
        assertThat(cache.blocked("juliet")).containsExactly("romeo@montague.net");
    }

    @Test
    void sizeZeroCachesNothing() {
        CachingBlockListStore cache = cacheOf(database, Duration.ofMinutes(10), 0);
        assertThat(cache.blocked("juliet")).isEmpty();
        database.block("juliet", List.of("romeo@montague.net"));
        assertThat(cache.blocked("juliet")).containsExactly("romeo@montague.net");
    }

    @Test
    void aNoticeThatArrivesWhileTheListIsBeingReadIsNotLost() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockListStore slowDatabase = new BlockListStore() {
            @Override
            public Set<String> blocked(String username) {
                Set<String> list = database.blocked(username); // the old list, read before the write below
                reading.countDown();
                await(release);
                return list;
            }

            @Override
            public void block(String username, Collection<String> jids) {
                database.block(username, jids);
            }

            @Override
            public void unblock(String username, Collection<String> jids) {
                database.unblock(username, jids);
            }

            @Override
            public void clear(String username) {
                database.clear(username);
            }
        };
        CachingBlockListStore cache = cacheOf(slowDatabase, Duration.ofMinutes(10), 1_000);

        CompletableFuture<Set<String>> staleRead = CompletableFuture.supplyAsync(() -> cache.blocked("juliet"));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        database.block("juliet", List.of("romeo@montague.net")); // another instance writes ...
        CompletableFuture<Void> notice = CompletableFuture.runAsync(() -> cache.invalidate("juliet")); // ... and says so
        Thread.sleep(100); // let the notice reach the cache while the read is still in progress
        release.countDown();

        assertThat(staleRead.get(10, TimeUnit.SECONDS)).as("read before the write").isEmpty();
        notice.get(10, TimeUnit.SECONDS);
        assertThat(cache.blocked("juliet")).containsExactly("romeo@montague.net");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
