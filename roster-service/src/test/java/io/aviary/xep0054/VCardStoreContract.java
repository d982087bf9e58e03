package io.aviary.xep0054;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link VCardStore} does; one subclass per implementation. */
abstract class VCardStoreContract {

    private VCardStore store;

    protected abstract VCardStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void anAccountWithoutAVCardHasNone() {
        assertThat(store.get("juliet")).isEmpty();
        assertThat(store.delete("juliet")).isFalse();
    }

    @Test
    void putReplacesAndDeleteRemovesOnlyThatAccount() {
        store.put("juliet", "<vCard xmlns='vcard-temp'><FN>Juliet</FN></vCard>");
        store.put("juliet", "<vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN></vCard>");
        store.put("romeo", "<vCard xmlns='vcard-temp'/>");

        assertThat(store.get("juliet")).contains("<vCard xmlns='vcard-temp'><FN>Juliet Capulet</FN></vCard>");
        assertThat(store.delete("juliet")).isTrue();
        assertThat(store.get("juliet")).isEmpty();
        assertThat(store.get("romeo")).contains("<vCard xmlns='vcard-temp'/>");
    }
}
