package io.aviary.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** RFC 6121 §8.5 delivery decisions, for every stanza kind and type, against a real in-memory registry. */
class DeliveryRulesTest {

    private final InMemorySessionRegistry registry = new InMemorySessionRegistry();
    private final DeliveryRules rules = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
            account -> Set.of("juliet", "romeo").contains(account.getLocalpart().toString()));

    private void bind(String fullJid, int priority, boolean available) {
        registry.bind(SessionEntry.bound(JidCreate.entityFullFromOrThrowUnchecked(fullJid), "gw", fullJid)
                .withPresence(priority, available));
    }

    private static Stanza stanza(String kind, String type, String from, String to) {
        return stanza(kind, type, from, to, "jabber:iq:version");
    }

    private static Stanza stanza(String kind, String type, String from, String to, String iqNamespace) {
        XmlElement.Builder element = XmlElement.builder(kind, "jabber:client")
                .attribute("type", type).attribute("from", from).attribute("to", to).attribute("id", "s1");
        if (kind.equals("iq")) {
            element.child(XmlElement.empty("query", iqNamespace));
        }
        return Stanza.of(element.build()).orElseThrow();
    }

    private List<Route> route(String kind, String type, String to) {
        return rules.route(stanza(kind, type, "romeo@localhost/orchard", to));
    }

    private static List<String> delivered(List<Route> routes) {
        return routes.stream().map(r -> ((Route.Deliver) r).session().jid().toString()).sorted().toList();
    }

    private static String errorCondition(List<Route> routes) {
        assertThat(routes).singleElement().isInstanceOf(Route.Reply.class);
        XmlElement reply = ((Route.Reply) routes.get(0)).stanza();
        assertThat(reply.attributeOrNull("type")).isEqualTo("error");
        return reply.child("error").orElseThrow().firstChild().orElseThrow().name();
    }

    @Test
    void chatToABareJidGoesToAllResourcesSharingTheHighestNonNegativePriority() {
        bind("juliet@localhost/balcony", 5, true);
        bind("juliet@localhost/chamber", 5, true);
        bind("juliet@localhost/garden", 1, true);
        bind("juliet@localhost/crypt", 10, false); // bound, but never sent presence

        for (String type : new String[] {"chat", "normal", null}) {
            assertThat(delivered(route("message", type, "juliet@localhost")))
                    .containsExactly("juliet@localhost/balcony", "juliet@localhost/chamber");
        }
    }

    @Test
    void headlinesGoToEveryNonNegativeResource() {
        bind("juliet@localhost/balcony", 5, true);
        bind("juliet@localhost/garden", 0, true);
        bind("juliet@localhost/hidden", -1, true);

        assertThat(delivered(route("message", "headline", "juliet@localhost")))
                .containsExactly("juliet@localhost/balcony", "juliet@localhost/garden");
    }

    @Test
    void aNegativePriorityResourceNeverGetsBareJidMessagesWhichGoOffline() {
        bind("juliet@localhost/hidden", -1, true);

        assertThat(route("message", "chat", "juliet@localhost")).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(route("message", "normal", "juliet@localhost")).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(route("message", "headline", "juliet@localhost")).singleElement().isInstanceOf(Route.Drop.class);
        // Addressed to its full JID, it is delivered (§8.5.3.1).
        assertThat(delivered(route("message", "chat", "juliet@localhost/hidden"))).containsExactly("juliet@localhost/hidden");
    }

    @Test
    void messagesToAnAccountWithoutResources() {
        assertThat(route("message", "chat", "juliet@localhost")).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(route("message", "headline", "juliet@localhost")).singleElement().isInstanceOf(Route.Drop.class);
        assertThat(route("message", "error", "juliet@localhost")).singleElement().isInstanceOf(Route.Drop.class);
        assertThat(errorCondition(route("message", "groupchat", "juliet@localhost"))).isEqualTo("service-unavailable");
    }

    @Test
    void messagesToAnUnavailableFullJid() {
        bind("juliet@localhost/balcony", 0, true);

        // §8.5.3.2.1: chat is treated as sent to the bare JID; normal (or no type) gets an error, never another resource.
        assertThat(delivered(route("message", "chat", "juliet@localhost/gone"))).containsExactly("juliet@localhost/balcony");
        assertThat(errorCondition(route("message", "normal", "juliet@localhost/gone"))).isEqualTo("service-unavailable");
        assertThat(errorCondition(route("message", null, "juliet@localhost/gone"))).isEqualTo("service-unavailable");
        assertThat(route("message", "headline", "juliet@localhost/gone")).singleElement().isInstanceOf(Route.Drop.class);
        assertThat(route("message", "error", "juliet@localhost/gone")).singleElement().isInstanceOf(Route.Drop.class);
        assertThat(errorCondition(route("message", "groupchat", "juliet@localhost/gone"))).isEqualTo("service-unavailable");
        assertThat(errorCondition(route("iq", "get", "juliet@localhost/gone"))).isEqualTo("service-unavailable");
        assertThat(route("presence", null, "juliet@localhost/gone")).singleElement().isInstanceOf(Route.Drop.class);
    }

    @Test
    void nonexistentAccounts() {
        // §8.5.1: message and IQ get service-unavailable, presence is dropped; no error to an error.
        assertThat(errorCondition(route("message", "chat", "nobody@localhost"))).isEqualTo("service-unavailable");
        assertThat(errorCondition(route("message", "chat", "nobody@localhost/desk"))).isEqualTo("service-unavailable");
        assertThat(errorCondition(route("iq", "get", "nobody@localhost"))).isEqualTo("service-unavailable");
        assertThat(route("iq", "result", "nobody@localhost")).singleElement().isInstanceOf(Route.Drop.class);
        // XEP-0030 §8 rule 2: disco#items to a bare JID is answered by the server, empty, whether or not it exists.
        assertThat(rules.route(stanza("iq", "get", "romeo@localhost/orchard", "nobody@localhost",
                "http://jabber.org/protocol/disco#items"))).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(errorCondition(rules.route(stanza("iq", "get", "romeo@localhost/orchard", "nobody@localhost/desk",
                "http://jabber.org/protocol/disco#items")))).isEqualTo("service-unavailable");
        assertThat(route("message", "error", "nobody@localhost")).singleElement().isInstanceOf(Route.Drop.class);
        for (String type : new String[] {null, "unavailable", "subscribe", "probe"}) {
            assertThat(route("presence", type, "nobody@localhost")).as(type).singleElement().isInstanceOf(Route.Drop.class);
        }
    }

    @Test
    void presenceToABareJidGoesToAvailableResourcesOnly() {
        bind("juliet@localhost/balcony", 0, true);
        bind("juliet@localhost/hidden", -5, true);
        bind("juliet@localhost/silent", 0, false);

        assertThat(delivered(route("presence", null, "juliet@localhost")))
                .containsExactly("juliet@localhost/balcony", "juliet@localhost/hidden");
        assertThat(delivered(route("presence", "unavailable", "juliet@localhost")))
                .containsExactly("juliet@localhost/balcony", "juliet@localhost/hidden");
    }

    @Test
    void subscriptionsAndProbesArePresenceServiceWork() {
        bind("juliet@localhost/balcony", 0, true);
        for (String type : new String[] {"subscribe", "subscribed", "unsubscribe", "unsubscribed", "probe"}) {
            assertThat(route("presence", type, "juliet@localhost")).as(type).singleElement().isInstanceOf(Route.ToService.class);
            // §8.5.3.1: to a full JID they are processed as to the bare JID.
            assertThat(route("presence", type, "juliet@localhost/balcony")).as(type)
                    .singleElement().isInstanceOf(Route.ToService.class);
        }
    }

    @Test
    void aProcessedSubscriptionStanzaFromABareJidIsDeliveredToTheResource() {
        bind("juliet@localhost/balcony", 0, true);
        Stanza processed = stanza("presence", "subscribe", "romeo@localhost", "juliet@localhost/balcony");

        assertThat(delivered(rules.route(processed))).containsExactly("juliet@localhost/balcony");
        assertThat(rules.route(stanza("presence", "subscribe", "romeo@localhost", "juliet@localhost/gone")))
                .singleElement().isInstanceOf(Route.Drop.class);
    }

    @Test
    void iqsToABareJidAreAnsweredByTheServer() {
        bind("juliet@localhost/balcony", 0, true);
        assertThat(route("iq", "get", "juliet@localhost")).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(delivered(route("iq", "get", "juliet@localhost/balcony"))).containsExactly("juliet@localhost/balcony");
    }

    @Test
    void serverAddressesAndRemoteDomains() {
        assertThat(route("presence", null, null)).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(route("iq", "get", "localhost")).singleElement().isInstanceOf(Route.ToService.class);
        assertThat(errorCondition(route("message", "chat", "juliet@elsewhere.example"))).isEqualTo("remote-server-not-found");
        assertThat(errorCondition(route("iq", "get", "localhost/admin"))).isEqualTo("service-unavailable");
    }

    @Test
    void everyStanzaToAHostedServiceOrAJidAtItGoesToTheService() {
        DeliveryRules hosting = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
                account -> true, null, address -> address.toString().equals("conference.localhost"));
        for (String to : List.of("conference.localhost", "room@conference.localhost", "room@conference.localhost/nick")) {
            for (String kind : List.of("iq", "message", "presence")) {
                assertThat(hosting.route(stanza(kind, kind.equals("iq") ? "get" : null, "romeo@localhost/orchard", to)))
                        .as(kind + " to " + to).singleElement().isInstanceOf(Route.ToService.class);
            }
        }
        assertThat(errorCondition(hosting.route(stanza("message", "chat", "romeo@localhost/orchard",
                "room@upload.localhost")))).isEqualTo("remote-server-not-found");
    }

    @Test
    void withFederationEveryStanzaToAnotherDomainGoesToTheRemoteDomainsStream() {
        DeliveryRules federating = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
                account -> true, null, address -> address.toString().equals("conference.localhost"), () -> true);
        for (String to : List.of("elsewhere.example", "juliet@elsewhere.example", "juliet@elsewhere.example/balcony")) {
            for (String kind : List.of("iq", "message", "presence")) {
                assertThat(federating.route(stanza(kind, kind.equals("iq") ? "get" : null, "romeo@localhost/orchard", to)))
                        .as(kind + " to " + to).singleElement().isInstanceOfSatisfying(Route.ToRemote.class,
                                remote -> assertThat(remote.domain()).isEqualTo("elsewhere.example"));
            }
        }
        // Hosted services and local accounts stay local.
        assertThat(federating.route(stanza("message", "groupchat", "romeo@localhost/orchard", "room@conference.localhost")))
                .singleElement().isInstanceOf(Route.ToService.class);
        assertThat(federating.route(stanza("iq", "get", "romeo@localhost/orchard", "localhost")))
                .singleElement().isInstanceOf(Route.ToService.class);
    }

    @Test
    void aSubscriptionToAContactElsewhereIsProcessedHereBeforeItLeaves() {
        DeliveryRules federating = new DeliveryRules(JidCreate.domainBareFromOrThrowUnchecked("localhost"), registry,
                account -> true, null, address -> false, () -> true);
        for (String type : List.of("subscribe", "subscribed", "unsubscribe", "unsubscribed")) {
            // RFC 6121 §3.1.2: from the user's resource, the roster service updates the roster and stamps the bare JID.
            assertThat(federating.route(stanza("presence", type, "romeo@localhost/orchard", "juliet@elsewhere.example")))
                    .as(type).singleElement().isInstanceOf(Route.ToService.class);
            // As the roster service sends it on, from the bare JID: to the remote domain.
            assertThat(federating.route(stanza("presence", type, "romeo@localhost", "juliet@elsewhere.example")))
                    .as(type + " from the bare JID").singleElement().isInstanceOf(Route.ToRemote.class);
        }
    }

    @Test
    void availableAndUnavailablePresenceToAnAccountIsWhatPresenceWatchersGet() {
        String romeo = "romeo@localhost/orchard";
        assertThat(rules.isPresenceToAccount(stanza("presence", null, romeo, "juliet@localhost"))).isTrue();
        assertThat(rules.isPresenceToAccount(stanza("presence", "unavailable", romeo, "juliet@localhost"))).isTrue();
        // Not subscriptions or probes, not to a full JID, a missing account, another domain or nobody.
        assertThat(rules.isPresenceToAccount(stanza("presence", "subscribe", romeo, "juliet@localhost"))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("presence", "probe", romeo, "juliet@localhost"))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("presence", null, romeo, "juliet@localhost/balcony"))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("presence", null, romeo, "nobody@localhost"))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("presence", null, romeo, "juliet@elsewhere"))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("presence", null, romeo, null))).isFalse();
        assertThat(rules.isPresenceToAccount(stanza("message", null, romeo, "juliet@localhost"))).isFalse();
    }
}
