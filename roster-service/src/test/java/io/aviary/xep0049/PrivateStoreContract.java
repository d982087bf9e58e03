package io.aviary.xep0049;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
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
    void theLongestNamesAndNamespacesAreKept() {
        // 1023 characters of three UTF-8 bytes each, which no database can compress much.
        Random random = new Random(1);
        String namespace = random.ints(1023, 0x4E00, 0x9FFF)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String name = random.ints(255, 'a', 'z' + 1)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String element = "<" + name + " xmlns='" + namespace + "'/>";

        store.put("hamlet", name, namespace, element);

        assertThat(store.get("hamlet", name, namespace)).contains(element);
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

    @Test
    void usageCountsEachElementOfOneAccountInUtf8Bytes() {
        store.put("hamlet", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'/>");
        store.put("hamlet", "note", "n", "<note xmlns='n'>été</note>"); // two two-byte characters
        store.put("ophelia", "exodus", "exodus:prefs", "<exodus xmlns='exodus:prefs'><a/></exodus>");

        assertThat(store.usage("hamlet")).containsExactlyInAnyOrder(
                new PrivateStore.Usage("exodus", "exodus:prefs", 30),
                new PrivateStore.Usage("note", "n", 28));
        assertThat(store.usage("nobody")).isEmpty();
    }
}
