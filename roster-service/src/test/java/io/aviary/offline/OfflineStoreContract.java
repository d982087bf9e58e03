package io.aviary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link OfflineStore} does; one subclass per implementation. */
abstract class OfflineStoreContract {

    protected OfflineStore store;

    protected abstract OfflineStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    static XmlElement message(String body) {
        return XmlElement.builder("message", "jabber:client")
                .attribute("from", "romeo@localhost/orchard").attribute("to", "juliet@localhost").attribute("type", "chat")
                .child(XmlElement.builder("body", "jabber:client").text(body + " <&> ünïcode").build())
                .child(XmlElement.builder("delay", "urn:xmpp:delay").attribute("from", "localhost")
                        .attribute("stamp", "2026-01-01T00:00:00Z").build())
                .build();
    }

    @Test
    void messagesComeBackOnceInOrderAndUnchanged() {
        assertThat(store.store("juliet", message("one"), 10)).isTrue();
        assertThat(store.store("juliet", message("two"), 10)).isTrue();
        assertThat(store.store("nurse", message("other"), 10)).isTrue();

        assertThat(store.take("juliet")).containsExactly(message("one"), message("two"));
        assertThat(store.take("juliet")).isEmpty();
        assertThat(store.take("nurse")).containsExactly(message("other"));
    }

    @Test
    void theQuotaRefusesMoreUntilMessagesAreTaken() {
        assertThat(store.store("juliet", message("one"), 2)).isTrue();
        assertThat(store.store("juliet", message("two"), 2)).isTrue();
        assertThat(store.store("juliet", message("three"), 2)).isFalse();
        assertThat(store.store("nurse", message("own quota"), 2)).isTrue();

        assertThat(store.take("juliet")).hasSize(2);
        assertThat(store.store("juliet", message("four"), 2)).isTrue();
    }

    @Test
    void aZeroQuotaStoresNothing() {
        assertThat(store.store("juliet", message("one"), 0)).isFalse();
        assertThat(store.take("juliet")).isEmpty();
    }

    @Test
    void deleteAllDropsTheAccountsMessages() {
        store.store("juliet", message("one"), 10);
        store.store("nurse", message("other"), 10);
        store.deleteAll("juliet");

        assertThat(store.take("juliet")).isEmpty();
        assertThat(store.take("nurse")).hasSize(1);
    }

    @Test
    void concurrentTakesNeverHandOutAMessageTwice() {
        for (int i = 0; i < 30; i++) {
            store.store("juliet", message("m" + i), 100);
        }
        CompletableFuture<List<XmlElement>> one = CompletableFuture.supplyAsync(() -> store.take("juliet"));
        CompletableFuture<List<XmlElement>> two = CompletableFuture.supplyAsync(() -> store.take("juliet"));

        List<XmlElement> all = new ArrayList<>(one.join());
        all.addAll(two.join());
        assertThat(all).hasSize(30).doesNotHaveDuplicates();
    }
}
