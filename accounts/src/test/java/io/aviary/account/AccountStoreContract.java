package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} does. Subclass it once per implementation and return a fresh,
 * empty store from {@link #newStore()}; roster-service reuses it through the service-api test-jar.
 */
public abstract class AccountStoreContract {

    /** When the tests remove accounts: a whole millisecond, which every store keeps exactly. */
    static final Instant REMOVED = Instant.parse("2026-05-01T10:15:30.123Z");

    private static final SecureRandom RANDOM = new SecureRandom();

    protected AccountStore store;

    /** A store with no accounts in it. */
    protected abstract AccountStore newStore() throws Exception;

    @BeforeEach
    void freshStore() throws Exception {
        store = newStore();
    }

    protected static List<ScramCredentials> credentials(String password) {
        List<ScramCredentials> all = new ArrayList<>();
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            all.add(ScramCredentials.create(algorithm, password, 4096, RANDOM));
        }
        return all;
    }

    private static void assertSame(ScramCredentials actual, ScramCredentials expected) {
        assertThat(actual.algorithm()).isEqualTo(expected.algorithm());
        assertThat(actual.salt()).isEqualTo(expected.salt());
        assertThat(actual.iterations()).isEqualTo(expected.iterations());
        assertThat(actual.storedKey()).isEqualTo(expected.storedKey());
        assertThat(actual.serverKey()).isEqualTo(expected.serverKey());
    }

    @Test
    void anEmptyStoreKnowsNobody() {
        assertThat(store.exists("juliet")).isFalse();
        assertThat(store.usernames()).isEmpty();
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_256)).isEmpty();
    }

    @Test
    void createdAccountExistsAndIsListed() {
        assertThat(store.create("juliet", credentials("R0m30"))).isTrue();

        assertThat(store.exists("juliet")).isTrue();
        assertThat(store.exists("romeo")).isFalse();
        assertThat(store.usernames()).containsExactly("juliet");
    }

    @Test
    void createFailsForAnExistingAccountAndKeepsItsCredentials() {
        List<ScramCredentials> first = credentials("first");
        store.create("juliet", first);

        assertThat(store.create("juliet", credentials("second"))).isFalse();

        assertSame(store.scram("juliet", first.get(0).algorithm()).orElseThrow(), first.get(0));
        assertThat(store.usernames()).containsExactly("juliet");
    }

    @Test
    void credentialsAreKeptPerAlgorithm() {
        List<ScramCredentials> stored = credentials("R0m30");
        store.create("juliet", stored);

        for (ScramCredentials expected : stored) {
            assertSame(store.scram("juliet", expected.algorithm()).orElseThrow(), expected);
        }
        assertThat(store.scram("romeo", ScramAlgorithm.SHA_1)).isEmpty();
    }

    @Test
    void anAccountMayLackSomeAlgorithms() {
        ScramCredentials sha256 = ScramCredentials.create(ScramAlgorithm.SHA_256, "pw", 4096, RANDOM);
        store.create("juliet", List.of(sha256));

        assertSame(store.scram("juliet", ScramAlgorithm.SHA_256).orElseThrow(), sha256);
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_1)).isEmpty();
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_512)).isEmpty();
    }

    @Test
    void setCredentialsReplacesAllOfThem() {
        store.create("juliet", credentials("old"));
        ScramCredentials onlyOne = ScramCredentials.create(ScramAlgorithm.SHA_512, "new", 8192, RANDOM);

        assertThat(store.setCredentials("juliet", List.of(onlyOne))).isTrue();

        assertSame(store.scram("juliet", ScramAlgorithm.SHA_512).orElseThrow(), onlyOne);
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_1)).isEmpty();
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_256)).isEmpty();
    }

    @Test
    void setCredentialsOfAnUnknownAccountFailsAndCreatesNothing() {
        assertThat(store.setCredentials("nobody", credentials("pw"))).isFalse();
        assertThat(store.exists("nobody")).isFalse();
        assertThat(store.scram("nobody", ScramAlgorithm.SHA_1)).isEmpty();
    }

    @Test
    void deleteRemovesTheAccountAndItsCredentials() {
        store.create("juliet", credentials("R0m30"));
        store.create("romeo", credentials("J0liet"));

        assertThat(store.delete("juliet", REMOVED)).isTrue();

        assertThat(store.exists("juliet")).isFalse();
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            assertThat(store.scram("juliet", algorithm)).isEmpty();
        }
        assertThat(store.usernames()).containsExactly("romeo");
        assertThat(store.delete("juliet", REMOVED)).isFalse();
    }

    @Test
    void aDeletedAccountLeavesATombstoneOfItsNameAndTheTimeAndAnUnknownOneNone() {
        store.create("juliet", credentials("R0m30"));
        store.create("romeo", credentials("J0liet"));
        assertThat(store.removedAt("juliet")).isEmpty();

        store.delete("juliet", REMOVED);
        assertThat(store.delete("nobody", REMOVED.plusSeconds(1))).isFalse();

        assertThat(store.removedAt("juliet")).contains(REMOVED);
        assertThat(store.removedAt("romeo")).as("still there").isEmpty();
        assertThat(store.removedAt("nobody")).as("never an account").isEmpty();
    }

    @Test
    void theTombstoneOutlivesARecreatedAccountAndTheNextRemovalRedatesIt() {
        store.create("juliet", credentials("old"));
        store.delete("juliet", REMOVED);
        store.create("juliet", credentials("new"));
        assertThat(store.removedAt("juliet")).contains(REMOVED);

        Instant later = REMOVED.plusSeconds(3600);
        assertThat(store.delete("juliet", later)).isTrue();

        assertThat(store.removedAt("juliet")).contains(later);
    }

    @Test
    void aDeletedNameCanBeRegisteredAgain() {
        store.create("juliet", credentials("old"));
        store.delete("juliet", REMOVED);
        List<ScramCredentials> fresh = credentials("new");

        assertThat(store.create("juliet", fresh)).isTrue();
        assertSame(store.scram("juliet", ScramAlgorithm.SHA_1).orElseThrow(), fresh.get(0));
    }

    @Test
    void usernamesListsEveryAccountOnce() {
        for (String name : List.of("romeo", "juliet", "nurse", "tybalt")) {
            store.create(name, credentials("pw"));
        }
        assertThat(store.usernames()).containsExactlyInAnyOrder("romeo", "juliet", "nurse", "tybalt");
    }

    @Test
    void usernamesAreExactKeys() {
        store.create("juliet", credentials("pw"));
        assertThat(store.exists("Juliet")).isFalse();
        assertThat(store.create("jüliet", credentials("pw"))).isTrue();
        assertThat(store.usernames()).containsExactlyInAnyOrder("juliet", "jüliet");
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        int threads = 8;
        List<ScramCredentials> creds = credentials("pw");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> failures = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    try {
                        start.await();
                        results.add(store.create("juliet", creds));
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(results).hasSize(threads).containsOnlyOnce(true);
        assertThat(store.usernames()).containsExactly("juliet");
    }

    @Test
    void aLockedAccountKeepsItsDataButHandsNoCredentialsToSasl() {
        store.create("juliet", credentials("R0m30"));
        assertThat(store.setLocked("juliet", true)).isTrue();

        assertThat(store.locked("juliet")).isTrue();
        assertThat(store.exists("juliet")).isTrue();
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_256)).isEmpty();

        assertThat(store.setLocked("juliet", false)).isTrue();
        assertThat(store.locked("juliet")).isFalse();
        assertThat(store.scram("juliet", ScramAlgorithm.SHA_256)).isPresent();
    }

    @Test
    void aRemovalRequestLocksTheAccountOnceAndGoesWithIt() {
        store.create("juliet", credentials("R0m30"));
        store.create("romeo", credentials("J00l"));
        assertThat(store.removalRequests()).isEmpty();

        assertThat(store.requestRemoval("romeo")).isTrue();
        assertThat(store.requestRemoval("juliet")).isTrue();
        assertThat(store.requestRemoval("romeo")).as("asked twice").isTrue();
        assertThat(store.requestRemoval("nobody")).isFalse();

        assertThat(store.locked("romeo")).isTrue();
        assertThat(store.scram("romeo", ScramAlgorithm.SHA_256)).isEmpty();
        assertThat(store.removalRequests()).containsExactlyInAnyOrder("romeo", "juliet");
        assertThat(store.delete("romeo", REMOVED)).isTrue();
        assertThat(store.removalRequests()).containsExactly("juliet");
        store.create("romeo", credentials("again"));
        assertThat(store.locked("romeo")).as("a new account of the name").isFalse();
        assertThat(store.removalRequests()).containsExactly("juliet");
    }

    @Test
    void lockingAnUnknownAccountFails() {
        assertThat(store.setLocked("nobody", true)).isFalse();
        assertThat(store.locked("nobody")).isFalse();
    }

    @Test
    void usernamesArePagedAndSearchedLiterally() {
        for (String name : List.of("alice", "a_b", "axb", "bob", "carol")) {
            store.create(name, credentials("pw"));
        }
        assertThat(store.count()).isEqualTo(5);
        assertThat(store.usernames(null, 0, 2)).containsExactly("a_b", "alice");
        assertThat(store.usernames("", 2, 2)).containsExactly("axb", "bob");
        assertThat(store.usernames("_", 0, 10)).containsExactly("a_b");
        assertThat(store.usernames("o", 0, 10)).containsExactly("bob", "carol");
        assertThat(store.usernames(null, 5, 10)).isEmpty();
    }
}
