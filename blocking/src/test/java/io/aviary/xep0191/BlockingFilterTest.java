package io.aviary.xep0191;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.service.StanzaFilter;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** A remote domain the operators blocked stops stanzas both ways, for every account, and only that domain. */
class BlockingFilterTest {

    private final InMemoryBlockListStore store = new InMemoryBlockListStore();
    private final BlockingFilter filter = new BlockingFilter(JidCreate.domainBareFromOrThrowUnchecked("localhost"), store);

    private static Stanza message(String from, String to) {
        return Stanza.of(XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("from", from)
                .attribute("to", to).attribute("type", "chat").textChild("body", "hi").build()).orElseThrow();
    }

    @Test
    void aBlockedDomainAndItsSubdomainsNeitherReachNorHearFromAnyAccount() {
        BlockedDomains blocked = new BlockedDomains(store);
        assertThat(filter.check(message("spammer@spam.example/bot", "juliet@localhost"))).isEqualTo(StanzaFilter.PASS);

        blocked.block("spam.example");

        assertThat(filter.check(message("spammer@spam.example/bot", "juliet@localhost")))
                .isInstanceOf(StanzaFilter.Reply.class);
        assertThat(filter.check(message("bot@chat.spam.example", "romeo@localhost")))
                .isInstanceOf(StanzaFilter.Reply.class);
        StanzaFilter.Verdict outbound = filter.check(message("juliet@localhost/balcony", "spammer@spam.example"));
        assertThat(outbound).isInstanceOf(StanzaFilter.Reply.class);
        assertThat(((StanzaFilter.Reply) outbound).stanza().toString()).contains("not-acceptable", "blocked");
        assertThat(filter.check(message("nurse@other.example", "juliet@localhost"))).isEqualTo(StanzaFilter.PASS);
        assertThat(store.blocked("juliet")).as("no account's own list changed").isEmpty();

        assertThat(blocked.unblock("spam.example")).isTrue();
        assertThat(blocked.unblock("spam.example")).isFalse();
        assertThat(filter.check(message("spammer@spam.example/bot", "juliet@localhost"))).isEqualTo(StanzaFilter.PASS);
    }
}
