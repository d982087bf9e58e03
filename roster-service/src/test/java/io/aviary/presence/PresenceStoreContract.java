package io.aviary.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link PresenceStore} does; one subclass per implementation. */
abstract class PresenceStoreContract {

    protected PresenceStore store;

    protected abstract PresenceStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    static EntityFullJid jid(String fullJid) {
        return JidCreate.entityFullFromOrThrowUnchecked(fullJid);
    }

    static ResourcePresence presence(String fullJid, String show, int priority) {
        return new ResourcePresence(jid(fullJid), XmlElement.builder("presence", "jabber:client")
                .attribute("from", fullJid).textChild("show", show).build(), priority);
    }

    @Test
    void theFirstAvailablePresenceIsInitialAndLaterOnesReplaceIt() {
        assertThat(store.available(presence("juliet@localhost/balcony", "chat", 1))).isEmpty();
        assertThat(store.available(presence("juliet@localhost/balcony", "away", -1)))
                .contains(presence("juliet@localhost/balcony", "chat", 1));

        assertThat(store.resources(JidCreate.entityBareFromOrThrowUnchecked("juliet@localhost")))
                .containsExactly(presence("juliet@localhost/balcony", "away", -1));
    }

    @Test
    void resourcesAreKeptPerAccountUntilUnavailable() {
        store.available(presence("juliet@localhost/balcony", "chat", 1));
        store.available(presence("juliet@localhost/chamber", "dnd", 0));
        store.available(presence("romeo@localhost/orchard", "chat", 0));

        assertThat(store.unavailable(jid("juliet@localhost/balcony"))).contains(presence("juliet@localhost/balcony", "chat", 1));
        assertThat(store.unavailable(jid("juliet@localhost/balcony"))).isEmpty();
        assertThat(store.unavailable(jid("juliet@localhost/never"))).isEmpty();
        assertThat(store.resources(JidCreate.entityBareFromOrThrowUnchecked("juliet@localhost")))
                .containsExactly(presence("juliet@localhost/chamber", "dnd", 0));
        assertThat(store.resources(JidCreate.entityBareFromOrThrowUnchecked("nurse@localhost"))).isEmpty();
    }
}
