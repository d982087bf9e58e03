package io.aviary.router.carbons;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.router.DeliveryRules;
import io.aviary.router.Route;
import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0280 copies as the delivery rules add them, against a real in-memory registry. */
class CarbonCopiesTest {

    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final DeliveryRules rules = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
            account -> Set.of("juliet", "romeo").contains(account.getLocalpart().toString()));

    @BeforeEach
    void sessions() {
        bind("juliet@localhost/balcony", 5, true);
        bind("juliet@localhost/chamber", 1, true);
        bind("juliet@localhost/plain", 1, false); // carbons but unavailable
        bind("romeo@localhost/orchard", 0, true);
        bind("romeo@localhost/garden", 0, true);
        bind("romeo@localhost/home", 0, true); // available, no carbons
    }

    private void bind(String fullJid, int priority, boolean available) {
        var jid = JidCreate.entityFullFromOrThrowUnchecked(fullJid);
        registry.bind(SessionEntry.bound(jid, "gw", fullJid).withPresence(priority, available));
        if (!fullJid.endsWith("/home")) {
            registry.updateCarbons(jid, fullJid, true);
        }
    }

    private List<Route> route(String xml) {
        return rules.route(Stanza.of(XmlFragment.parse(xml)).orElseThrow());
    }

    /** Each delivery as "target: wrapper-direction" or "target: original". */
    private static List<String> deliveries(List<Route> routes) {
        return routes.stream().filter(Route.Deliver.class::isInstance).map(Route.Deliver.class::cast)
                .map(d -> d.session().jid() + ": " + d.stanza().firstChild()
                        .filter(c -> c.namespace().equals(CarbonCopies.NAMESPACE)).map(XmlElement::name).orElse("original"))
                .sorted().toList();
    }

    @Test
    void aChatToABareJidIsCopiedToTheRecipientsAndTheSendersOtherCarbonsResources() {
        List<Route> routes = route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='juliet@localhost'><body>hi</body></message>");
        assertThat(deliveries(routes)).containsExactly(
                "juliet@localhost/balcony: original",
                "juliet@localhost/chamber: received",
                "romeo@localhost/garden: sent");
    }

    @Test
    void theCopyIsFromTheBareJidToTheFullJidAndForwardsTheOriginal() {
        List<Route> routes = route("<message xmlns='jabber:client' type='chat' id='m1' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><body>hi</body></message>");
        XmlElement received = routes.stream().map(Route.Deliver.class::cast)
                .filter(d -> d.session().jid().toString().equals("juliet@localhost/chamber")).findFirst().orElseThrow().stanza();
        assertThat(received.attributeOrNull("from")).isEqualTo("juliet@localhost");
        assertThat(received.attributeOrNull("to")).isEqualTo("juliet@localhost/chamber");
        assertThat(received.attributeOrNull("type")).isEqualTo("chat");
        XmlElement original = received.child("received", CarbonCopies.NAMESPACE).orElseThrow()
                .child("forwarded", "urn:xmpp:forward:0").orElseThrow().child("message", "jabber:client").orElseThrow();
        assertThat(original.attributeOrNull("id")).isEqualTo("m1");
        assertThat(original.childText("body", "jabber:client")).contains("hi");
    }

    @Test
    void privateAndNoCopyMessagesAreNotCopiedAndPrivateIsStripped() {
        List<Route> routes = route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='juliet@localhost'><body>psst</body><private xmlns='urn:xmpp:carbons:2'/></message>");
        assertThat(deliveries(routes)).containsExactly("juliet@localhost/balcony: original");
        assertThat(((Route.Deliver) routes.get(0)).stanza().child("private", CarbonCopies.NAMESPACE)).isEmpty();

        assertThat(deliveries(route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='juliet@localhost'><body>psst</body><no-copy xmlns='urn:xmpp:hints'/></message>")))
                .containsExactly("juliet@localhost/balcony: original");
    }

    @Test
    void groupchatHeadlineAndNormalWithoutBodyAreNotCopied() {
        assertThat(deliveries(route("<message xmlns='jabber:client' type='headline' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><body>news</body></message>")))
                .containsExactly("juliet@localhost/balcony: original");
        assertThat(deliveries(route("<message xmlns='jabber:client' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><x xmlns='jabber:x:oob'/></message>")))
                .containsExactly("juliet@localhost/balcony: original");
        assertThat(deliveries(route("<message xmlns='jabber:client' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><body>note</body></message>")))
                .contains("juliet@localhost/chamber: received");
    }

    @Test
    void aMessageStoredOfflineGetsNoReceivedCopiesButItsSenderStillGetsSentCopies() {
        registry.updatePresence(JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/balcony"),
                "juliet@localhost/balcony", 0, false);
        registry.updatePresence(JidCreate.entityFullFromOrThrowUnchecked("juliet@localhost/chamber"),
                "juliet@localhost/chamber", 0, false);
        List<Route> routes = route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='juliet@localhost'><body>later</body></message>");
        assertThat(routes).hasAtLeastOneElementOfType(Route.ToService.class);
        assertThat(deliveries(routes)).containsExactly("romeo@localhost/garden: sent");
    }

    @Test
    void messagesTheServerSendsAgainWithItsDelayStampAreNotCopiedAgain() {
        assertThat(deliveries(route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><body>old</body>"
                + "<delay xmlns='urn:xmpp:delay' from='localhost' stamp='2026-01-01T00:00:00Z'/></message>")))
                .containsExactly("juliet@localhost/balcony: original");
    }

    @Test
    void aBounceFromABareJidIsCopiedToTheRecipientButOtherErrorsAreNot() {
        assertThat(deliveries(route("<message xmlns='jabber:client' type='error' from='romeo@localhost' "
                + "to='juliet@localhost/balcony'><error type='cancel'><service-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>")))
                .containsExactly("juliet@localhost/balcony: original", "juliet@localhost/chamber: received");
        assertThat(deliveries(route("<message xmlns='jabber:client' type='error' from='romeo@localhost/orchard' "
                + "to='juliet@localhost/balcony'><error type='cancel'><service-unavailable "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>")))
                .containsExactly("juliet@localhost/balcony: original");
    }

    @Test
    void aMessageToOnesOwnOtherResourceCopiesEachResourceOnce() {
        assertThat(deliveries(route("<message xmlns='jabber:client' type='chat' from='romeo@localhost/orchard' "
                + "to='romeo@localhost/home'><body>note to self</body></message>")))
                .containsExactly("romeo@localhost/garden: received", "romeo@localhost/home: original");
    }
}
