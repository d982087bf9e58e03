package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.AccountStore;
import io.aviary.session.ForwardingSessionRegistry;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ForwardingResumptionStore;
import io.aviary.session.resumption.ResumableSession;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.testclients.XmppClients;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import reactor.core.scheduler.Schedulers;

/**
 * Logins whose account lookups are held (a latch in front of the real account store) do not hold the event loops:
 * the lookups run on worker threads, Bob and Carol keep chatting meanwhile, and the logins complete once released.
 * Nor do presences whose registry writes are held, as a slow Redis holds them in a cluster.
 */
class BlockingWorkEndToEndTest {

    /** More held logins than the event loops (at least 4, or one per core), so every loop would get one. */
    private static final int HELD_LOGINS = 2 * Math.max(4, Runtime.getRuntime().availableProcessors());

    @Test
    void heldAccountLookupsRunOffTheEventLoops() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(HELD_LOGINS);
        try (AviaryTestServer server = AviaryTestServer.start(
                "spring.main.sources=" + HeldLookups.class.getName(),
                "aviary.gateway.auth.workers=2");
             BystanderPair bystanders = new BystanderPair(server)) {
            List<CompletableFuture<XMPPTCPConnection>> logins = new ArrayList<>();
            try {
                for (int i = 1; i <= HELD_LOGINS; i++) {
                    String user = "held" + i;
                    server.accounts().register(user, user + "-pw");
                    logins.add(CompletableFuture.supplyAsync(() -> login(server, user), clients));
                }
                awaitHeldLookup();

                assertThat(HeldLookups.onEventLoop).as("lookups that ran on an event loop thread").containsOnly(false);
                bystanders.stillChat();
            } finally {
                HeldLookups.release.countDown();
            }
            for (CompletableFuture<XMPPTCPConnection> login : logins) {
                XMPPTCPConnection connection = login.get(60, TimeUnit.SECONDS);
                assertThat(connection.isAuthenticated()).isTrue();
                connection.disconnect();
            }
            assertThat(HeldLookups.onEventLoop).containsOnly(false);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void heldPresenceWritesHoldTheirStreamsButNotTheEventLoopsNorDoesEnablingResumption() throws Exception {
        try (AviaryTestServer server = AviaryTestServer.start("spring.main.sources=" + HeldPresence.class.getName());
             BystanderPair bystanders = new BystanderPair(server)) {
            server.accounts().register("dave", "dave-pw");
            XMPPTCPConnection dave = login(server, "dave", "dave-pw");
            BlockingQueue<Boolean> releasedWhenReceived = new LinkedBlockingQueue<>();
            dave.addAsyncStanzaListener(stanza -> releasedWhenReceived.add(HeldPresence.released),
                    stanza -> stanza instanceof Message m && m.getBody() != null);
            List<XMPPTCPConnection> held = new ArrayList<>();
            try {
                for (int i = 1; i <= HELD_LOGINS; i++) {
                    String user = "held" + i;
                    server.accounts().register(user, user + "-pw");
                    // Smack enables resumable stream management after binding, then sends the initial presence; the
                    // message follows them on the same stream.
                    XMPPTCPConnection connection = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), user,
                            user + "-pw", null).build());
                    connection.setUseStreamManagement(true);
                    connection.setUseStreamManagementResumption(true);
                    connection.setReplyTimeout(10_000);
                    connection.connect().login();
                    assertThat(connection.isSmResumptionPossible()).isTrue();
                    held.add(connection);
                    connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.entityBareFrom("dave@" + server.domain())).ofType(Message.Type.chat)
                            .setBody("after my presence").build());
                }
                awaitAll(HeldPresence.waiting, HELD_LOGINS);

                assertThat(HeldPresence.onEventLoop).as("registry and resumption writes the event loops waited for")
                        .isEmpty();
                bystanders.stillChat();
            } finally {
                HeldPresence.released = true;
                HeldPresence.release.countDown();
            }
            for (int i = 0; i < HELD_LOGINS; i++) {
                assertThat(releasedWhenReceived.poll(30, TimeUnit.SECONDS))
                        .as("a held user's message arrived, after its presence was recorded").isTrue();
            }
            bystanders.stillChat();
            held.forEach(XMPPTCPConnection::disconnect);
            dave.disconnect();
        }
    }

    private static void awaitAll(AtomicInteger counter, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(counter.get()).as("presence writes waiting in the registry").isEqualTo(expected);
    }

    private static void awaitHeldLookup() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (HeldLookups.waiting.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(HeldLookups.waiting.get()).as("logins waiting in the account store").isPositive();
    }

    private static XMPPTCPConnection login(AviaryTestServer server, String user) {
        try {
            return login(server, user, user + "-pw");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static XMPPTCPConnection login(AviaryTestServer server, String user, String password) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, password, null).build());
    }

    /**
     * Put in front of the real account store: the credentials of {@code held*} accounts are looked up only once
     * the test releases them, and every lookup notes whether it ran on an event loop (Reactor marks those threads
     * non-blocking).
     */
    static class HeldLookups {

        static final CountDownLatch release = new CountDownLatch(1);
        static final AtomicInteger waiting = new AtomicInteger();
        static final Queue<Boolean> onEventLoop = new ConcurrentLinkedQueue<>();

        @Bean
        static BeanPostProcessor holdLookups() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof AccountStore store ? new HeldStore(store) : bean;
                }
            };
        }

        private record HeldStore(AccountStore store) implements AccountStore {

            @Override
            public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
                if (username.startsWith("held")) {
                    onEventLoop.add(Schedulers.isInNonBlockingThread());
                    waiting.incrementAndGet();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return store.scram(username, algorithm);
            }

            @Override
            public boolean exists(String username) {
                return store.exists(username);
            }

            @Override
            public boolean create(String username, List<ScramCredentials> credentials) {
                return store.create(username, credentials);
            }

            @Override
            public boolean setCredentials(String username, List<ScramCredentials> credentials) {
                return store.setCredentials(username, credentials);
            }

            @Override
            public boolean delete(String username, Instant removedAt) {
                return store.delete(username, removedAt);
            }

            @Override
            public Optional<Instant> removedAt(String username) {
                return store.removedAt(username);
            }

            @Override
            public List<String> usernames() {
                return store.usernames();
            }

            @Override
            public boolean requestRemoval(String username) {
                return store.requestRemoval(username);
            }

            @Override
            public List<String> removalRequests() {
                return store.removalRequests();
            }

            @Override
            public boolean setLocked(String username, boolean locked) {
                return store.setLocked(username, locked);
            }

            @Override
            public boolean locked(String username) {
                return store.locked(username);
            }
        }
    }

    /**
     * Put in front of the real registry, as a Redis that does not answer: the presence writes of {@code held*}
     * accounts are answered only once the test releases them; a presence, resumption or resumption-state write made
     * the waiting way on an event loop is noted.
     */
    static class HeldPresence {

        static final CountDownLatch release = new CountDownLatch(1);
        static volatile boolean released;
        static final AtomicInteger waiting = new AtomicInteger();
        static final Queue<String> onEventLoop = new ConcurrentLinkedQueue<>();

        @Bean
        static BeanPostProcessor holdPresenceWrites() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof ResumptionStore store) {
                        return new ForwardingResumptionStore(store) {
                            @Override
                            public void open(ResumableSession session) {
                                waitingWrite("resumption state of " + session.jid());
                                super.open(session);
                            }
                        };
                    }
                    return bean instanceof SessionRegistry registry ? new HeldRegistry(registry) : bean;
                }
            };
        }

        private static void waitingWrite(String what) {
            if (Schedulers.isInNonBlockingThread()) {
                onEventLoop.add(what);
            }
        }

        private static final class HeldRegistry extends ForwardingSessionRegistry {

            HeldRegistry(SessionRegistry registry) {
                super(registry);
            }

            @Override
            public void updatePresence(EntityFullJid jid, String connectionId, int priority, boolean available) {
                waitingWrite("presence of " + jid);
                super.updatePresence(jid, connectionId, priority, available);
            }

            @Override
            public void markResumable(EntityFullJid jid, String connectionId, String resumptionId) {
                waitingWrite("resumption of " + jid);
                super.markResumable(jid, connectionId, resumptionId);
            }

            @Override
            public void directedPresence(EntityFullJid jid, String connectionId, String target, boolean available) {
                waitingWrite("directed presence of " + jid);
                super.directedPresence(jid, connectionId, target, available);
            }

            @Override
            public CompletableFuture<Void> updatePresenceLater(EntityFullJid jid, String connectionId, int priority,
                                                               boolean available) {
                if (!held(jid)) {
                    return super.updatePresenceLater(jid, connectionId, priority, available);
                }
                waiting.incrementAndGet();
                return CompletableFuture.runAsync(() -> {
                    awaitRelease();
                    super.updatePresence(jid, connectionId, priority, available);
                });
            }

            private static boolean held(EntityFullJid jid) {
                return jid.getLocalpart().toString().startsWith("held");
            }

            private static void awaitRelease() {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
