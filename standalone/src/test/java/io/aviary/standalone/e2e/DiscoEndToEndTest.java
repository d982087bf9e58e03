package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.capability.CapabilityRegistry;
import io.aviary.testclients.XmppClients;
import java.util.Set;
import java.util.TreeSet;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0030 on the domain and on accounts, and the XEP-0115 caps the server announces. */
class DiscoEndToEndTest {

    private static AviaryTestServer server;
    private static DomainBareJid domain;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        server.accounts().register("alice", "alice-secret");
        server.accounts().register("bob", "bob-secret");
        domain = JidCreate.domainBareFrom(AviaryTestServer.DOMAIN);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    @Test
    void theDomainIsAnImServerListingExactlyTheImplementedFeatures() throws Exception {
        XMPPTCPConnection alice = login("alice");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain);

            assertThat(info.getIdentities()).singleElement().satisfies(identity -> {
                assertThat(identity.getCategory()).isEqualTo("server");
                assertThat(identity.getType()).isEqualTo("im");
                assertThat(identity.getName()).isEqualTo("Aviary");
            });
            // Exactly what the capabilities declare (the registry refuses handlers they do not declare).
            Set<String> expected = new TreeSet<>();
            server.context().getBean(CapabilityRegistry.class).declarations().forEach(d -> expected.addAll(d.serverFeatures()));
            Set<String> advertised = new TreeSet<>();
            info.getFeatures().forEach(f -> advertised.add(f.getVar()));
            assertThat(advertised).isEqualTo(expected).contains(
                    "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                    "urn:xmpp:ping", "jabber:iq:version", "vcard-temp", "jabber:iq:private", "jabber:iq:last",
                    "urn:xmpp:blocking", "jabber:iq:register", "http://jabber.org/protocol/caps");
            // XEP-0313 and XEP-0357 live at the account's bare JID (DiscoEndToEndTest's account tests), not the domain's;
            // XEP-0050 commands (XEP-0133 administration) do live at the domain (XEP-0050 §2.1).
            assertThat(advertised).doesNotContain("urn:xmpp:mam:2", "urn:xmpp:push:0")
                    .contains("http://jabber.org/protocol/commands");

            // The domain's items are exactly its hosted services (the XEP-0065 proxy among them).
            DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(alice).discoverItems(domain);
            Set<String> hosted = new TreeSet<>();
            server.context().getBean(CapabilityRegistry.class).declarations()
                    .forEach(d -> d.services().forEach(service -> hosted.add(service.address().toString())));
            Set<String> listed = new TreeSet<>();
            items.getItems().forEach(item -> listed.add(item.getEntityID().toString()));
            assertThat(listed).isEqualTo(hosted).contains("proxy.localhost");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void theCapsInTheStreamFeaturesHashTheDomainsDiscoInfo() throws Exception {
        XMPPTCPConnection alice = login("alice");
        try {
            EntityCapsManager.NodeVerHash caps = EntityCapsManager.getNodeVerHashByJid(domain);
            assertThat(caps).as("caps from <stream:features/>").isNotNull();
            assertThat(caps.getHash()).isEqualTo("sha-1");
            assertThat(caps.getNode()).isEqualTo("urn:aviary:server");

            // XEP-0115 §6.2: the client may ask for node#ver, and the answer must hash to ver.
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain, caps.getNodeVer());
            assertThat(info.getNode()).isEqualTo(caps.getNodeVer());
            assertThat(EntityCapsManager.verifyDiscoverInfoVersion(caps.getVer(), caps.getHash(), info)).isTrue();
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void anAccountAnswersOnlyItselfAndHidesWhetherOthersExist() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        try {
            DiscoverInfo own = ServiceDiscoveryManager.getInstanceFor(alice)
                    .discoverInfo(JidCreate.entityBareFrom("alice@localhost"));
            // account/registered, and pubsub/pep for the account's PEP service (XEP-0163 §6.1).
            assertThat(own.getIdentities()).extracting(i -> i.getCategory() + "/" + i.getType())
                    .containsExactlyInAnyOrder("account/registered", "pubsub/pep");

            // XEP-0030 §8: no presence subscription, or no such account: service-unavailable.
            assertThat(RawIq.errorOf(bob, RawIq.get(JidCreate.entityBareFrom("alice@localhost"), "query",
                    "http://jabber.org/protocol/disco#info", ""))).isEqualTo(StanzaError.Condition.service_unavailable);
            assertThat(RawIq.errorOf(bob, RawIq.get(JidCreate.entityBareFrom("nobody@localhost"), "query",
                    "http://jabber.org/protocol/disco#info", ""))).isEqualTo(StanzaError.Condition.service_unavailable);
            // disco#items of an account is empty, not an error, whether or not the account exists (§8 rule 2),
            // so the answer cannot tell who has an account.
            for (String account : new String[] {"alice@localhost", "nobody@localhost"}) {
                DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(bob)
                        .discoverItems(JidCreate.entityBareFrom(account));
                assertThat(items.getItems()).as(account).isEmpty();
                assertThat(items.getType()).isEqualTo(IQ.Type.result);
            }
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void anUnknownNodeIsNotFound() throws Exception {
        XMPPTCPConnection alice = login("alice");
        try {
            assertThatThrownBy(() -> ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(domain, "urn:aviary:server#stale"))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
        } finally {
            alice.disconnect();
        }
    }
}
