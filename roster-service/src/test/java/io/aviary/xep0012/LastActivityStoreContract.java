package io.aviary.xep0012;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LastActivityStore} does; one subclass per implementation. */
abstract class LastActivityStoreContract {

    private static final Instant NINE = Instant.parse("2026-01-02T09:00:00Z");
    private static final Instant TEN = Instant.parse("2026-01-02T10:00:00Z");

    private LastActivityStore store;

    protected abstract LastActivityStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void theLatestLogoutWinsWithItsStatus() {
        assertThat(store.last("juliet")).isEmpty();
        store.record("juliet", new LastActivityStore.Logout(NINE, "Heading Home"));
        store.record("juliet", new LastActivityStore.Logout(TEN, null));
        store.record("romeo", new LastActivityStore.Logout(NINE, "Exiled"));

        assertThat(store.last("juliet")).contains(new LastActivityStore.Logout(TEN, null));
        assertThat(store.last("romeo")).contains(new LastActivityStore.Logout(NINE, "Exiled"));
    }

    @Test
    void deleteForgetsOneAccount() {
        store.record("juliet", new LastActivityStore.Logout(NINE, "Heading Home"));
        store.record("romeo", new LastActivityStore.Logout(NINE, null));

        store.delete("juliet");

        assertThat(store.last("juliet")).isEmpty();
        assertThat(store.last("romeo")).isPresent();
    }
}
