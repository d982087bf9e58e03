package io.aviary.xep0012;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.InMemoryAccountStore;
import io.aviary.clocktest.MutableClock;
import io.aviary.account.AccountVisibility;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0012 answers for accounts, with a clock we move and romeo subscribed to juliet's presence. */
class LastActivityTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T09:00:00Z"));
    private final InMemorySessionRegistry sessions = new InMemorySessionRegistry();
    private final InMemoryLastActivityStore store = new InMemoryLastActivityStore();
    private LastActivity lastActivity;

    @BeforeEach
    void setUp() throws Exception {
        InMemoryAccountStore accounts = new InMemoryAccountStore();
        for (String user : new String[] {"juliet", "romeo", "tybalt"}) {
            accounts.create(user, List.of());
        }
        AccountVisibility visibility = new AccountVisibility(accounts, Optional.of((account, contact) ->
                account.toString().equals("juliet@capulet.lit") && contact.toString().equals("romeo@capulet.lit")));
        lastActivity = new LastActivity(JidCreate.domainBareFrom("capulet.lit"), store, sessions, visibility, clock);
    }

    private static XmlElement presence(String from, String type, String status) {
        XmlElement.Builder presence = XmlElement.builder("presence", Stanza.CLIENT_NAMESPACE)
                .attribute("from", from).attribute("type", type);
        if (status != null) {
            presence.textChild("status", status);
        }
        return presence.build();
    }

    private Stanza ask(String from, String to) {
        return lastActivity.handle(new Stanza(Stanza.Kind.IQ, XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                .attribute("from", from).attribute("to", to).attribute("id", "last1").attribute("type", "get")
                .child(XmlElement.empty("query", LastActivity.NAMESPACE)).build()));
    }

    @Test
    void aSubscribedContactLearnsWhenAndWithWhatStatusTheAccountLeft() throws Exception {
        assertThat(ask("romeo@capulet.lit/orchard", "juliet@capulet.lit").element().toXml()).contains("item-not-found");

        sessions.bind(new SessionEntry(JidCreate.entityFullFrom("juliet@capulet.lit/balcony"), "gw", "c1", 0, true));
        assertThat(ask("romeo@capulet.lit/orchard", "juliet@capulet.lit").payload().orElseThrow()
                .attributeOrNull("seconds")).isEqualTo("0");

        lastActivity.resourceUnavailable(JidCreate.entityFullFrom("juliet@capulet.lit/balcony"),
                presence("juliet@capulet.lit/balcony", "unavailable", "Heading Home"));
        sessions.unbind(JidCreate.entityFullFrom("juliet@capulet.lit/balcony"), "c1");
        clock.advance(Duration.ofSeconds(903));

        XmlElement query = ask("romeo@capulet.lit/orchard", "juliet@capulet.lit").payload().orElseThrow();
        assertThat(query.attributeOrNull("seconds")).isEqualTo("903");
        assertThat(query.text()).isEqualTo("Heading Home");
    }

    @Test
    void othersAreForbiddenAndTheServerReportsItsUptime() {
        assertThat(ask("tybalt@capulet.lit/street", "juliet@capulet.lit").element().toXml()).contains("forbidden");
        clock.advance(Duration.ofSeconds(42));
        assertThat(ask("tybalt@capulet.lit/street", "capulet.lit").payload().orElseThrow()
                .attributeOrNull("seconds")).isEqualTo("42");
    }
}
