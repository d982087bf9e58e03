package io.aviary.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.xml.XmlElement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link PresenceStore} does; one subclass per implementation. */
public abstract class PresenceStoreContract {

    protected PresenceStore store;

    protected abstract PresenceStore newStore();

    @BeforeEach
    void fresh() {
        store = newStore();
    }

    protected static EntityFullJid jid(String fullJid) {
        return JidCreate.entityFullFromOrThrowUnchecked(fullJid);
    }

    protected static EntityBareJid account(String bareJid) {
        return JidCreate.entityBareFromOrThrowUnchecked(bareJid);
    }

    protected static ResourcePresence presence(String fullJid, String show, int priority) {
        return new ResourcePresence(jid(fullJid), XmlElement.builder("presence", "jabber:client")
                .attribute("from", fullJid).textChild("show", show).build(), priority);
    }

    @Test
    void theFirstAvailablePresenceIsInitialAndLaterOnesReplaceIt() {
        assertThat(store.available(presence("juliet@localhost/balcony", "chat", 1))).isEmpty();
        assertThat(store.available(presence("juliet@localhost/balcony", "away", -1)))
                .contains(presence("juliet@localhost/balcony", "chat", 1));

        assertThat(store.resources(account("juliet@localhost")))
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
        assertThat(store.resources(account("juliet@localhost")))
                .containsExactly(presence("juliet@localhost/chamber", "dnd", 0));
        assertThat(store.resources(account("nurse@localhost"))).isEmpty();
    }

    @Test
    void accountsWithTheSameResourceNameDoNotShareIt() {
        store.available(presence("juliet@localhost/phone", "chat", 1));
        store.available(presence("romeo@localhost/phone", "away", 2));
        store.available(presence("juliet@example.com/phone", "xa", 3));

        assertThat(store.unavailable(jid("romeo@localhost/phone"))).contains(presence("romeo@localhost/phone", "away", 2));
        assertThat(store.resources(account("juliet@localhost"))).containsExactly(presence("juliet@localhost/phone", "chat", 1));
        assertThat(store.resources(account("juliet@example.com")))
                .containsExactly(presence("juliet@example.com/phone", "xa", 3));
        assertThat(store.resources(account("romeo@localhost"))).isEmpty();
    }

    /** RFC 6121 §4.7.2.3: priorities range from -128 to +127; a negative one still is an available resource. */
    @Test
    void prioritiesSurviveAcrossTheirWholeRange() {
        store.available(presence("juliet@localhost/lowest", "xa", -128));
        store.available(presence("juliet@localhost/none", "chat", 0));
        store.available(presence("juliet@localhost/highest", "chat", 127));

        assertThat(store.resources(account("juliet@localhost"))).containsExactlyInAnyOrder(
                presence("juliet@localhost/lowest", "xa", -128), presence("juliet@localhost/none", "chat", 0),
                presence("juliet@localhost/highest", "chat", 127));
    }

    /** Probes are answered with the stored presence as it was broadcast, extensions and all (RFC 6121 §4.3.2). */
    @Test
    void thePresenceComesBackAsItWasWithAttributesNamespacesAndNonAsciiText() {
        String resource = "juliet@localhost/balcón ♥/2";
        XmlElement broadcast = XmlElement.builder("presence", "jabber:client")
                .attribute("from", resource)
                .attribute("id", "p-1 & \"2\" <3>")
                .attribute(XmlElement.XML_LANG, "es")
                .textChild("show", "away")
                .child(XmlElement.builder("status", "jabber:client").attribute(XmlElement.XML_LANG, "ru")
                        .text("Ромео, где ты? 🌹 <a> & 'b'\ttab").build())
                .textChild("priority", "-5")
                .child(XmlElement.builder("c", "http://jabber.org/protocol/caps").attribute("hash", "sha-1")
                        .attribute("node", "https://example.org/client").attribute("ver", "QgayPKawpkPSDYmwT/WM94uAlu0=")
                        .build())
                .child(XmlElement.builder("x", "vcard-temp:x:update")
                        .child(XmlElement.builder("photo", "vcard-temp:x:update")
                                .text("01b87fcd030b72895ff8e88db57ec525450f000d").build())
                        .build())
                .child(XmlElement.builder("mood", "urn:example:mood")
                        .attribute("{urn:example:scale}level", "7").text("über").build())
                .build();
        ResourcePresence stored = new ResourcePresence(jid(resource), broadcast, -5);

        store.available(stored);
        assertThat(store.resources(account("juliet@localhost"))).containsExactly(stored);
        assertThat(store.available(presence(resource, "chat", 0))).contains(stored);
        store.available(stored);
        assertThat(store.unavailable(jid(resource))).contains(stored);
    }
}
