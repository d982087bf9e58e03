package io.aviary.xep0191;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.roster.LongestJids;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlockListStore} does; one subclass per implementation. */
abstract class BlockListStoreContract {

    private BlockListStore store;

    protected abstract BlockListStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void blockIsIdempotentAndUnblockIgnoresUnknownJids() {
        assertThat(store.blocked("juliet")).isEmpty();
        store.block("juliet", List.of("romeo@montague.net", "iago@shakespeare.lit"));
        store.block("juliet", List.of("romeo@montague.net", "romeo@montague.net"));
        store.block("romeo", List.of("tybalt@capulet.com"));

        assertThat(store.blocked("juliet")).containsExactlyInAnyOrder("romeo@montague.net", "iago@shakespeare.lit");

        store.unblock("juliet", List.of("iago@shakespeare.lit", "nobody@example.com"));
        assertThat(store.blocked("juliet")).containsExactly("romeo@montague.net");
        assertThat(store.blocked("romeo")).containsExactly("tybalt@capulet.com");
    }

    @Test
    void theLongestJidsAreKept() {
        String account = LongestJids.part(1);
        String blocked = LongestJids.fullJid(2);
        store.block(account, List.of(blocked));
        assertThat(store.blocked(account)).containsExactly(blocked);

        store.unblock(account, List.of(blocked));
        assertThat(store.blocked(account)).isEmpty();
    }

    @Test
    void clearEmptiesOneAccountsList() {
        store.block("juliet", List.of("romeo@montague.net", "montague.net"));
        store.block("romeo", List.of("tybalt@capulet.com"));

        store.clear("juliet");

        assertThat(store.blocked("juliet")).isEmpty();
        assertThat(store.blocked("romeo")).containsExactly("tybalt@capulet.com");
    }
}
