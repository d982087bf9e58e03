package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FastTokenStore} does: the two slots of XEP-0484 §6.1, replay counters, bounds, revocation. */
public abstract class FastTokenStoreContract {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    protected FastTokenStore store;

    /** A fresh store whose account store already has {@code alice}. */
    protected abstract FastTokenStore newStore(AccountStore accounts);

    protected abstract AccountStore newAccountStore();

    @BeforeEach
    void setUp() {
        AccountStore accounts = newAccountStore();
        accounts.create("alice", List.of(ScramCredentials.create(ScramAlgorithm.SHA_256, "pw", 16, new SecureRandom())));
        store = newStore(accounts);
    }

    @Test
    void anIssuedTokenIsNewUntilUsedThenCurrent() {
        FastToken token = token("phone", 1, NOW);
        store.issue(token, 5, NOW);
        assertThat(store.tokens("alice", "phone")).singleElement()
                .satisfies(t -> assertThat(t.slot()).isEqualTo(FastToken.Slot.NEW));

        assertThat(store.used(token, -1)).isTrue();

        assertThat(store.tokens("alice", "phone")).singleElement()
                .satisfies(t -> assertThat(t.slot()).isEqualTo(FastToken.Slot.CURRENT));
    }

    @Test
    void aRotatedTokenKeepsTheCurrentOneUntilItIsUsed() {
        FastToken first = token("phone", 1, NOW);
        store.issue(first, 5, NOW);
        store.used(first, -1);
        FastToken second = token("phone", 2, NOW.plusSeconds(1));
        store.issue(second, 5, NOW);

        assertThat(store.tokens("alice", "phone")).extracting(FastToken::slot)
                .containsExactly(FastToken.Slot.NEW, FastToken.Slot.CURRENT);

        assertThat(store.used(second, -1)).isTrue();
        assertThat(store.tokens("alice", "phone")).singleElement()
                .satisfies(t -> assertThat(t.hash()).isEqualTo(second.hash()));
    }

    @Test
    void aCounterThatDoesNotGrowIsAReplay() {
        FastToken token = token("phone", 1, NOW);
        store.issue(token, 5, NOW);
        assertThat(store.used(token, 3)).isTrue();
        FastToken stored = store.tokens("alice", "phone").get(0);

        assertThat(store.used(stored, 3)).isFalse();
        assertThat(store.used(stored, 4)).isTrue();
    }

    @Test
    void theClientsThatGotTokensLongestAgoMakeRoom() {
        store.issue(token("a", 1, NOW), 2, NOW);
        store.issue(token("b", 2, NOW.plusSeconds(1)), 2, NOW);
        store.issue(token("c", 3, NOW.plusSeconds(2)), 2, NOW);

        assertThat(store.tokens("alice", "a")).isEmpty();
        assertThat(store.tokens("alice", "b")).hasSize(1);
        assertThat(store.tokens("alice", "c")).hasSize(1);
    }

    @Test
    void revokedTokensAreGone() {
        FastToken a = token("a", 1, NOW);
        store.issue(a, 5, NOW);
        store.issue(token("b", 2, NOW), 5, NOW);

        store.revoke(a);
        assertThat(store.tokens("alice", "a")).isEmpty();

        store.revokeAll("alice");
        assertThat(store.tokens("alice", "b")).isEmpty();
    }

    private static FastToken token(String client, int seed, Instant issued) {
        byte[] hash = new byte[32];
        hash[0] = (byte) seed;
        return new FastToken("alice", client, FastToken.Slot.NEW, "HT-SHA-256-NONE", hash, issued,
                issued.plus(Duration.ofDays(1)), -1);
    }
}
