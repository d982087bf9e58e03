package io.aviary.xep0049;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PrivateStore} does; one subclass per implementation. */
abstract class PrivateStoreContract {

    private PrivateStore store;

    protected abstract PrivateStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    @Test
    void elementsAreKeptPerAccountNameAndNamespace() {
        store.put("hamlet", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus>");
        store.put("hamlet", "storage", "storage:bookmarks", "<storage xmlns='storage:bookmarks'/>");
        store.put("hamlet", "exodus", "other:prefs", "<exodus xmlns='other:prefs'/>");
        store.put("ophelia", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'/>");

        assertThat(store.get("hamlet", "exodus", "exodus:prefs"))
                .contains("<exodus xmlns='exodus:prefs'><defaultnick>Hamlet</defaultnick></exodus>");
        assertThat(store.get("hamlet", "exodus", "other:prefs")).contains("<exodus xmlns='other:prefs'/>");
        assertThat(store.get("hamlet", "nothing", "exodus:prefs")).isEmpty();
        assertThat(store.get("ophelia", "exodus", "exodus:prefs")).contains("<exodus xmlns='exodus:prefs'/>");
    }

    @Test
    void putReplacesAndDeleteAllForgetsOneAccount() {
        store.put("hamlet", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'/>");
        store.put("hamlet", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'><a/></exodus>");
        store.put("ophelia", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'/>");
        assertThat(store.get("hamlet", "exodus", "exodus:prefs")).contains("<exodus xmlns='exodus:prefs'><a/></exodus>");

        store.deleteAll("hamlet");

        assertThat(store.get("hamlet", "exodus", "exodus:prefs")).isEmpty();
        assertThat(store.get("ophelia", "exodus", "exodus:prefs")).isPresent();
    }
}
