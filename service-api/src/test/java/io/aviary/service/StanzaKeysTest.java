package io.aviary.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlFragment;
import org.junit.jupiter.api.Test;

class StanzaKeysTest {

    private static Stanza stanza(String xml) {
        return Stanza.of(XmlFragment.parse(xml)).orElseThrow();
    }

    @Test
    void aStanzaToAnAccountTakesThatAccountsKey() {
        assertThat(StanzaKeys.routeKey(stanza("<message xmlns='jabber:client' from='romeo@example.net/orchard' to='juliet@example.net/balcony'/>")))
                .isEqualTo("juliet@example.net");
        assertThat(StanzaKeys.routeKey(stanza("<presence xmlns='jabber:client' from='romeo@example.net/orchard' to='juliet@example.net'/>")))
                .isEqualTo("juliet@example.net");
    }

    @Test
    void aStanzaToTheDomainOrWithoutAddressTakesTheSendersKey() {
        assertThat(StanzaKeys.routeKey(stanza("<iq xmlns='jabber:client' type='get' id='1' from='romeo@example.net/orchard' to='example.net'/>")))
                .isEqualTo("romeo@example.net");
        assertThat(StanzaKeys.routeKey(stanza("<iq xmlns='jabber:client' type='get' id='1' from='romeo@example.net/orchard'/>")))
                .isEqualTo("romeo@example.net");
    }

    @Test
    void anOutboundSubscriptionTakesTheSendersKeyAndTheForwardedOneTheContacts() {
        for (String type : new String[] {"subscribe", "subscribed", "unsubscribe", "unsubscribed"}) {
            assertThat(StanzaKeys.routeKey(stanza("<presence xmlns='jabber:client' type='" + type
                    + "' from='romeo@example.net/orchard' to='juliet@example.net'/>"))).isEqualTo("romeo@example.net");
            assertThat(StanzaKeys.routeKey(stanza("<presence xmlns='jabber:client' type='" + type
                    + "' from='romeo@example.net' to='juliet@example.net'/>"))).isEqualTo("juliet@example.net");
        }
    }
}
