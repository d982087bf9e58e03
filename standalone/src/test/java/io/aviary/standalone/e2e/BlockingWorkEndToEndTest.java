package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.AccountStore;
import io.aviary.testclients.XmppClients;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import reactor.core.scheduler.Schedulers;

/**
 * Logins whose account lookups are held (a latch in front of the real account store) do not hold the event loops:
 * the lookups run on worker threads, Bob and Carol keep chatting meanwhile, and the logins complete once released.
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

    private static void awaitHeldLookup() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (HeldLookups.waiting.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(HeldLookups.waiting.get()).as("logins waiting in the account store").isPositive();
    }

    private static XMPPTCPConnection login(AviaryTestServer server, String user) {
        try {
            return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-pw", null).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
            public boolean delete(String username) {
                return store.delete(username);
            }

            @Override
            public List<String> usernames() {
                return store.usernames();
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
}
