package io.aviary.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    void aReadThatRacedWithAnInvalidationIsNotCached() {
        InMemorySessionRegistry shared = new InMemorySessionRegistry();
        CachingSessionRegistry[] router = new CachingSessionRegistry[1];
        // The change and its report land while the router is reading the old state.
        SessionRegistry slowRead = new DelegatingRegistry(shared) {
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

    /** Passes everything on; tests override one read to interleave other work with it. */
    private static class DelegatingRegistry implements SessionRegistry {
        private final SessionRegistry delegate;

        DelegatingRegistry(SessionRegistry delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<SessionEntry> bind(SessionEntry entry) {
            return delegate.bind(entry);
        }

        @Override
        public boolean unbind(EntityFullJid jid, String connectionId) {
            return delegate.unbind(jid, connectionId);
        }

        @Override
        public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
            delegate.updatePresence(jid, connectionId, priority, available);
        }

        @Override
        public void updateCarbons(EntityFullJid jid, String connectionId, boolean enabled) {
            delegate.updateCarbons(jid, connectionId, enabled);
        }

        @Override
        public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
            delegate.markResumable(jid, connectionId, resumptionId);
        }

        @Override
        public boolean hibernate(EntityFullJid jid, String connectionId) {
            return delegate.hibernate(jid, connectionId);
        }

        @Override
        public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
            delegate.directedPresence(jid, connectionId, target, available);
        }

        @Override
        public Set<String> takeDirectedPresence(EntityFullJid jid) {
            return delegate.takeDirectedPresence(jid);
        }

        @Override
        public Optional<SessionEntry> resume(EntityFullJid jid, String resumptionId, String gatewayId,
                String connectionId) {
            return delegate.resume(jid, resumptionId, gatewayId, connectionId);
        }

        @Override
        public Optional<SessionEntry> session(EntityFullJid jid) {
            return delegate.session(jid);
        }

        @Override
        public List<SessionEntry> sessions(EntityBareJid account) {
            return delegate.sessions(account);
        }

        @Override
        public Set<EntityFullJid> sessionsOf(String gatewayId) {
            return delegate.sessionsOf(gatewayId);
        }

        @Override
        public Set<String> gateways() {
            return delegate.gateways();
        }
    }
}
