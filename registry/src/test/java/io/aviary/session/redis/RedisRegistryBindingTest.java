package io.aviary.session.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.session.SessionEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** Binding details beyond the contract: what a displacement returns, and atomicity under concurrent binds. */
class RedisRegistryBindingTest {

    private RedisSessionRegistry registry;

    @BeforeEach
    void flush() {
        registry = new RedisSessionRegistry(RedisProcess.flushed(), Duration.ofMinutes(5));
    }

    private static EntityFullJid jid(String full) throws Exception {
        return JidCreate.entityFullFrom(full);
    }

    @Test
    void theDisplacedEntryComesBackWhole() throws Exception {
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "old"));
        registry.updatePresence(balcony, "old", 7, true);
        assertThat(registry.bind(SessionEntry.bound(balcony, "gw2", "new")))
                .contains(new SessionEntry(balcony, "gw1", "old", 7, true));
        assertThat(registry.sessionsOf("gw2")).containsExactly(balcony);
    }

    @Test
    void rebindingTheSameConnectionDisplacesNothing() throws Exception {
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        registry.bind(SessionEntry.bound(balcony, "gw1", "c1"));
        assertThat(registry.bind(SessionEntry.bound(balcony, "gw1", "c1"))).isEmpty();
        assertThat(registry.bind(SessionEntry.bound(balcony, "gw1", "c2"))).get()
                .extracting(SessionEntry::connectionId).isEqualTo("c1");
        assertThat(registry.sessionsOf("gw1")).containsExactly(balcony);
    }

    @Test
    void resourcesWithUnusualCharactersSurviveTheRoundTrip() throws Exception {
        EntityFullJid odd = jid("juliet@example.com/Balcony/upstairs ☀ {1}");
        registry.bind(SessionEntry.bound(odd, "gw1", "c1"));
        assertThat(registry.session(odd)).get().extracting(SessionEntry::jid).isEqualTo(odd);
        assertThat(registry.sessionsOf("gw1")).containsExactly(odd);
        assertThat(registry.unbind(odd, "c1")).isTrue();
    }

    @Test
    void identifiersThatWouldBreakTheEncodingAreRefused() throws Exception {
        assertThatThrownBy(() -> registry.bind(SessionEntry.bound(jid("juliet@example.com/a"), "gw\t1", "c1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.sessions(JidCreate.entityBareFrom("juliet@example.com"))).isEmpty();
    }

    @Test
    void concurrentBindsOfOneResourceFormOneChainOfDisplacements() throws Exception {
        EntityFullJid balcony = jid("juliet@example.com/balcony");
        int binds = 200;
        List<Callable<Optional<SessionEntry>>> tasks = new ArrayList<>();
        for (int i = 0; i < binds; i++) {
            SessionEntry entry = SessionEntry.bound(balcony, "gw" + (i % 3), "c" + i);
            tasks.add(() -> registry.bind(entry));
        }
        List<String> displaced = new ArrayList<>();
        int freeBinds = 0;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Optional<SessionEntry>> result : pool.invokeAll(tasks)) {
                Optional<SessionEntry> previous = result.get();
                if (previous.isEmpty()) {
                    freeBinds++;
                } else {
                    displaced.add(previous.get().connectionId());
                }
            }
        } finally {
            pool.shutdown();
        }
        String winner = registry.session(balcony).orElseThrow().connectionId();
        // Atomic binds: exactly one found the resource free, every other connection was displaced exactly
        // once, and the last one bound is the one that stays.
        assertThat(freeBinds).isEqualTo(1);
        assertThat(displaced).hasSize(binds - 1).doesNotHaveDuplicates().doesNotContain(winner);
        assertThat(registry.sessionsOf("gw0").size() + registry.sessionsOf("gw1").size()
                + registry.sessionsOf("gw2").size()).isEqualTo(1);
    }

    @Test
    void concurrentBindsOfDifferentResourcesAllStay() throws Exception {
        EntityBareJid juliet = JidCreate.entityBareFrom("juliet@example.com");
        List<Callable<Optional<SessionEntry>>> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SessionEntry entry = SessionEntry.bound(jid("juliet@example.com/r" + i), "gw" + (i % 2), "c" + i);
            tasks.add(() -> registry.bind(entry));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            pool.invokeAll(tasks);
        } finally {
            pool.shutdown();
        }
        assertThat(registry.sessions(juliet)).hasSize(100);
        assertThat(registry.sessionsOf("gw0")).hasSize(50);
        assertThat(registry.sessionsOf("gw1")).hasSize(50);
    }
}
