package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0060.PubsubNode;
import io.aviary.xep0060.PubsubStore;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;

/**
 * XEP-0163 personal eventing through Smack: Alice and Bob are subscribed both ways, Carol is a stranger. Each test
 * uses nodes of its own, so the tests share one server.
 */
class PepEndToEndTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String EVENT = PUBSUB + "#event";

    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
        XMPPTCPConnection alice = login("alice", "setup");
        XMPPTCPConnection bob = login("bob", "setup");
        try {
            Roster.getInstanceFor(alice).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(bob).setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            Roster.getInstanceFor(alice).createItemAndRequestSubscription(jid("bob"), "Bob", null);
            Roster.getInstanceFor(bob).createItemAndRequestSubscription(jid("alice"), "Alice", null);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(alice), "bob") == ItemType.both
                            && SubscriptionEndToEndTest.typeOf(Roster.getInstanceFor(bob), "alice") == ItemType.both);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null)
                .setResource(resource).build());
    }

    private static BareJid jid(String user) {
        return SubscriptionEndToEndTest.jid(user);
    }

    /** The PEP event messages a connection receives, as XML. */
    private static BlockingQueue<String> events(XMPPTCPConnection connection) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(m -> events.add(m.toXML().toString()),
                s -> s instanceof Message m && m.hasExtension("event", EVENT));
        return events;
    }

    private static String itemsXml(XMPPTCPConnection connection, String owner, String node) throws Exception {
        IQ result = connection.sendIqRequestAndWaitForResponse(
                RawIq.get(jid(owner), "pubsub", PUBSUB, "<items node='" + node + "'/>"));
        return result.toXML().toString();
    }

    private static RawIq publishWithOptions(String node, String itemXml, String... fields) {
        StringBuilder options = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
                + "type='hidden'><value>" + PUBSUB + "#publish-options</value></field>");
        for (int i = 0; i < fields.length; i += 2) {
            options.append("<field var='").append(fields[i]).append("'><value>").append(fields[i + 1])
                    .append("</value></field>");
        }
        options.append("</x>");
        return RawIq.set(null, "pubsub", PUBSUB, "<publish node='" + node + "'>" + itemXml + "</publish>"
                + "<publish-options>" + options + "</publish-options>");
    }

    @Test
    void aContactAndTheOwnersOtherResourceGetTheAvatarMetadataAStrangerDoesNot() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection alicePhone = login("alice", "phone");
        XMPPTCPConnection bob = login("bob", "laptop");
        XMPPTCPConnection carol = login("carol", "tablet");
        try {
            BlockingQueue<String> bobEvents = events(bob);
            BlockingQueue<String> phoneEvents = events(alicePhone);
            BlockingQueue<String> carolEvents = events(carol);
            String metadata = "<metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='12345' height='64' "
                    + "id='111f4b3c50d7b0df729d299bc6f8e9ef9066971f' type='image/png' width='64'/></metadata>";
            PepManager.getInstanceFor(alice).publish("urn:xmpp:avatar:metadata",
                    new PayloadItem<>("111f4b3c50d7b0df729d299bc6f8e9ef9066971f", new SimplePayload(metadata)));

            String seenByBob = bobEvents.poll(5, TimeUnit.SECONDS);
            assertThat(seenByBob).contains("urn:xmpp:avatar:metadata").contains("111f4b3c50d7b0df729d299bc6f8e9ef9066971f")
                    .contains("from='alice@localhost'").contains("headline");
            assertThat(phoneEvents.poll(5, TimeUnit.SECONDS)).contains("urn:xmpp:avatar:metadata");
            assertThat(carolEvents.poll(1, TimeUnit.SECONDS)).isNull();

            // The presence access model (PEP's default): Bob reads the item, Carol is told she needs a subscription.
            assertThat(itemsXml(bob, "alice", "urn:xmpp:avatar:metadata")).contains("bytes='12345'");
            assertThat(RawIq.errorOf(carol, RawIq.get(jid("alice"), "pubsub", PUBSUB,
                    "<items node='urn:xmpp:avatar:metadata'/>"))).isEqualTo(StanzaError.Condition.not_authorized);
        } finally {
            alice.disconnect();
            alicePhone.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void bookmarksOnAWhitelistNodeStayPrivate() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = login("bob", "laptop");
        try {
            BlockingQueue<String> bobEvents = events(bob);
            String conference = "<item id='room@conference.localhost'><conference xmlns='urn:xmpp:bookmarks:1' "
                    + "name='The room' autojoin='true'><nick>ally</nick></conference></item>";
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("urn:xmpp:bookmarks:1", conference,
                    "pubsub#persist_items", "true", "pubsub#max_items", "max", "pubsub#access_model", "whitelist"));
            String second = conference.replace("room@", "other@");
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("urn:xmpp:bookmarks:1", second,
                    "pubsub#persist_items", "true", "pubsub#max_items", "max", "pubsub#access_model", "whitelist"));

            // max_items=max keeps both bookmarks; only the owner reads them (XEP-0402 §5 whitelist).
            assertThat(itemsXml(alice, "alice", "urn:xmpp:bookmarks:1"))
                    .contains("room@conference.localhost").contains("other@conference.localhost");
            assertThat(RawIq.errorOf(bob, RawIq.get(jid("alice"), "pubsub", PUBSUB,
                    "<items node='urn:xmpp:bookmarks:1'/>"))).isEqualTo(StanzaError.Condition.not_allowed);
            assertThat(bobEvents.poll(1, TimeUnit.SECONDS)).isNull();

            // Publishing with another access model than the node's is a precondition not met (XEP-0060 §7.1.5).
            assertThat(RawIq.errorOf(alice, publishWithOptions("urn:xmpp:bookmarks:1", second,
                    "pubsub#access_model", "open"))).isEqualTo(StanzaError.Condition.conflict);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void anOmemoDeviceListPublishedOpenIsReadByAStranger() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection carol = login("carol", "tablet");
        try {
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("eu.siacs.conversations.axolotl.devicelist",
                    "<item id='current'><list xmlns='eu.siacs.conversations.axolotl'><device id='4223'/></list></item>",
                    "pubsub#access_model", "open"));
            assertThat(itemsXml(carol, "alice", "eu.siacs.conversations.axolotl.devicelist"))
                    .contains("4223").contains("id='current'");
        } finally {
            alice.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void othersCannotPublishAndUnknownNodesAreNotFound() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = login("bob", "laptop");
        try {
            assertThat(RawIq.errorOf(bob, RawIq.set(jid("alice"), "pubsub", PUBSUB,
                    "<publish node='http://jabber.org/protocol/tune'><item><tune xmlns='http://jabber.org/protocol/tune'/>"
                            + "</item></publish>"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(RawIq.errorOf(bob, RawIq.get(jid("alice"), "pubsub", PUBSUB, "<items node='no-such-node'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(RawIq.errorOf(alice, RawIq.get(null, "pubsub", PUBSUB, "<items node='no-such-node'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
            // A publish without a payload is a bad request (XEP-0060 §7.1.3.6).
            assertThat(RawIq.errorOf(alice, RawIq.set(null, "pubsub", PUBSUB, "<publish node='empty'><item/></publish>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void retractWithNotifyAndDeleteReachTheContact() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = login("bob", "laptop");
        try {
            BlockingQueue<String> bobEvents = events(bob);
            String node = "http://jabber.org/protocol/mood";
            PepManager.getInstanceFor(alice).publish(node, new PayloadItem<>("m1",
                    new SimplePayload("<mood xmlns='http://jabber.org/protocol/mood'><happy/></mood>")));
            assertThat(bobEvents.poll(5, TimeUnit.SECONDS)).contains("happy");

            alice.sendIqRequestAndWaitForResponse(RawIq.set(null, "pubsub", PUBSUB,
                    "<retract node='" + node + "' notify='true'><item id='m1'/></retract>"));
            assertThat(bobEvents.poll(5, TimeUnit.SECONDS)).contains("<retract id='m1'");
            assertThat(itemsXml(alice, "alice", node)).doesNotContain("happy");

            alice.sendIqRequestAndWaitForResponse(RawIq.set(null, "pubsub", PUBSUB + "#owner",
                    "<delete node='" + node + "'/>"));
            assertThat(bobEvents.poll(5, TimeUnit.SECONDS)).contains("<delete ").contains("node='" + node + "'");
            assertThat(RawIq.errorOf(alice, RawIq.get(null, "pubsub", PUBSUB, "<items node='" + node + "'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void theAccountAdvertisesPep() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(jid("alice")).getFeatures())
                    .extracting(f -> f.getVar())
                    .contains(PUBSUB + "#publish", PUBSUB + "#publish-options", PUBSUB + "#access-whitelist");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void removingTheAccountDeletesItsNodes() throws Exception {
        XMPPTCPConnection dave = login("dave", "desk");
        PubsubStore store = server.context().getBean(PubsubStore.class);
        try {
            PepManager.getInstanceFor(dave).publish("http://jabber.org/protocol/tune", new PayloadItem<>("t",
                    new SimplePayload("<tune xmlns='http://jabber.org/protocol/tune'><title>Sonata</title></tune>")));
            assertThat(store.nodes("dave@localhost")).extracting(PubsubNode::node)
                    .containsExactly("http://jabber.org/protocol/tune");
            AccountManager.getInstance(dave).deleteAccount();
        } finally {
            dave.disconnect();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> store.nodes("dave@localhost").isEmpty());
    }
}
