package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** The cache passes the registry contract, and serves stale data only until it is told or its TTL passes. */
class CachingSessionRegistryTest extends SessionRegistryContract {

    private static final EntityBareJid JULIET = JidCreate.entityBareFromOrThrowUnchecked("juliet@example.com");
    private static final EntityFullJid BALCONY = JidCreate.entityFullFromOrThrowUnchecked("juliet@example.com/balcony");

    @Override
    protected SessionRegistry registry() {
        return new CachingSessionRegistry(new InMemorySessionRegistry(), Duration.ofMinutes(1), 1_000);
    }

    @Test
    void anotherInstancesWriteIsSeenAfterTheInvalidationItReports() {
        InMemorySessionRegistry shared = new InMemorySessionRegistry();
        CachingSessionRegistry router = new CachingSessionRegistry(shared, Duration.ofMinutes(1), 1_000);
        assertThat(router.sessions(JULIET)).isEmpty();
        shared.bind(SessionEntry.bound(BALCONY, "gw1", "c1")); // a gateway, through its own registry instance
        assertThat(router.session(BALCONY)).as("cached until told").isEmpty();
        router.invalidate(JULIET);
        assertThat(router.session(BALCONY)).isPresent();
    }

    @Test
    void aMissedInvalidationLastsAtMostTheTtl() throws Exception {
        InMemorySessionRegistry shared = new InMemorySessionRegistry();
        CachingSessionRegistry router = new CachingSessionRegistry(shared, Duration.ofMillis(200), 1_000);
        assertThat(router.sessions(JULIET)).isEmpty();
        shared.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        Thread.sleep(300);
        assertThat(router.sessions(JULIET)).hasSize(1);
    }

    @Test
    void aWriteAnsweredLaterIsSeenOnceItIsAnswered() {
        InMemorySessionRegistry shared = new InMemorySessionRegistry();
        shared.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        CompletableFuture<Void> redisAnswers = new CompletableFuture<>();
        SessionRegistry remote = new ForwardingSessionRegistry(shared) {
            @Override
            public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                               boolean available) {
                return redisAnswers.thenRun(() -> shared.updatePresence(jid, connectionId, priority, available));
            }
        };
        CachingSessionRegistry gateway = new CachingSessionRegistry(remote, Duration.ofMinutes(1), 1_000);

        CompletableFuture<Void> written = gateway.updatePresenceLater(BALCONY, "c1", 5, true);
        assertThat(gateway.session(BALCONY)).as("read while the write is on its way")
                .get().extracting(SessionEntry::available).isEqualTo(false);
        redisAnswers.complete(null);

        assertThat(written).isDone();
        assertThat(gateway.session(BALCONY)).get()
                .extracting(SessionEntry::priority, SessionEntry::available).containsExactly(5, true);
    }

    @Test
    void aReadThatRacedWithAnInvalidationIsNotCached() {
        InMemorySessionRegistry shared = new InMemorySessionRegistry();
        CachingSessionRegistry[] router = new CachingSessionRegistry[1];
        // The change and its report land while the router is reading the old state.
        SessionRegistry slowRead = new ForwardingSessionRegistry(shared) {
            @Override
            public List<SessionEntry> sessions(EntityBareJid account) {
                List<SessionEntry> old = shared.sessions(account);
                shared.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
                router[0].invalidate(account);
                return old;
            }
        };
        router[0] = new CachingSessionRegistry(slowRead, Duration.ofMinutes(1), 1_000);
        assertThat(router[0].sessions(JULIET)).as("the read itself returns what it saw").isEmpty();
        // Had the racing read been cached, this would still be the empty list from before the bind.
        assertThat(router[0].sessions(JULIET)).hasSize(1);
    }

    @Test
    void ownWritesAreSeenAtOnce() {
        CachingSessionRegistry registry = new CachingSessionRegistry(new InMemorySessionRegistry(), Duration.ofMinutes(1), 1);
        assertThat(registry.sessions(JULIET)).isEmpty();
        registry.bind(SessionEntry.bound(BALCONY, "gw1", "c1"));
        registry.updatePresence(BALCONY, "c1", 3, true);
        assertThat(registry.session(BALCONY)).get().extracting(SessionEntry::priority).isEqualTo(3);
        registry.unbind(BALCONY, "c1");
        assertThat(registry.sessions(JULIET)).isEmpty();
    }
}
