package io.aviary.xep0030;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.AccountVisibility;
import io.aviary.account.InMemoryAccountStore;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.capability.Declaration;
import io.aviary.capability.ServerDescription;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0030 answers for the domain and, per "Security Considerations", for accounts. */
class DiscoInfoHandlerTest {

    private final DiscoInfoHandler handler;
    private final String capsNode;

    DiscoInfoHandlerTest() throws Exception {
        InMemoryAccountStore accounts = new InMemoryAccountStore();
        accounts.create("juliet", List.of());
        accounts.create("tybalt", List.of());
        AccountVisibility visibility = new AccountVisibility(accounts, Optional.of((account, contact) ->
                contact.toString().equals("romeo@capulet.lit")));
        ServerDescription server = new ServerDescription(List.of(Declaration.builder("disco").iq(DiscoInfo.INFO)
                .accountFeature(DiscoInfo.INFO).build(), Declaration.builder("caps").streamFeature(
                XmlElement.builder("c", ServerDescription.CAPS_NAMESPACE).attribute("node", "urn:aviary:server").build())
                .build()));
        capsNode = server.capsNode().orElseThrow();
        handler = new DiscoInfoHandler(JidCreate.domainBareFrom("capulet.lit"), () -> server, visibility);
    }

    private Stanza request(String from, String to, String type, String node) {
        return handler.handle(new Stanza(Stanza.Kind.IQ, XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                .attribute("from", from).attribute("to", to).attribute("id", "d1").attribute("type", type)
                .child(XmlElement.builder("query", DiscoInfo.INFO).attribute("node", node).build()).build()));
    }

    @Test
    void aContactWithASubscriptionSeesTheAccountOthersDoNot() {
        String forRomeo = request("romeo@capulet.lit/orchard", "juliet@capulet.lit", "get", null).toXml();
        assertThat(forRomeo).contains("type=\"result\"").contains("category=\"account\"").contains("type=\"registered\"");
        assertThat(request("tybalt@capulet.lit/street", "juliet@capulet.lit", "get", null).toXml())
                .contains("service-unavailable");
        assertThat(request("tybalt@capulet.lit/street", "tybalt@capulet.lit", "get", null).toXml())
                .contains("category=\"account\"");
    }

    @Test
    void theDomainAnswersItsCapsNodeOnlyAndNoSets() {
        assertThat(request("romeo@capulet.lit/orchard", "capulet.lit", "get", capsNode).toXml())
                .contains("node=\"" + capsNode + "\"").contains("category=\"server\"");
        assertThat(request("romeo@capulet.lit/orchard", "capulet.lit", "get", "other").toXml()).contains("item-not-found");
        assertThat(request("romeo@capulet.lit/orchard", "capulet.lit", "set", null).toXml()).contains("bad-request");
    }
}
