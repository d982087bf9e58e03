package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0060.Affiliation;
import io.aviary.xep0060.PubsubNode;
import io.aviary.xep0060.PubsubStore;
import io.aviary.xep0060.Subscription;
import io.aviary.xep0060.SubscriptionState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.bookmarks.BookmarkManager;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * XEP-0163 personal eventing through Smack: Alice and Bob are subscribed both ways, Carol is a stranger. Each test
 * uses nodes of its own, so the tests share one server.
 */
class PepEndToEndTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final String EVENT = PUBSUB + "#event";
    /** A node the tests publish to while they wait for the server to learn clients' caps. */
    private static final String PROBE = "urn:aviary:test:probe";
    static final String AVATAR = "urn:xmpp:avatar:metadata";
    private static final String TUNE = "http://jabber.org/protocol/tune";
    private static final String MOOD = "http://jabber.org/protocol/mood";
    private static final String BOOKMARKS = "urn:xmpp:bookmarks:1";

    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol", "dave", "erin", "frank", "grace"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
        XMPPTCPConnection alice = login("alice", "setup");
        XMPPTCPConnection bob = login("bob", "setup");
        try {
            SubscriptionEndToEndTest.subscribeBothWays(alice, "alice", bob, "bob");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnectionConfiguration configuration(String user, String resource) throws Exception {
        return XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).setResource(resource).build();
    }

    private static XMPPTCPConnection login(String user, String resource) throws Exception {
        return XmppClients.connect(configuration(user, resource));
    }

    private static XMPPTCPConnection loginAsking(String user, String resource, String... nodes) throws Exception {
        return loginAsking(configuration(user, resource), nodes);
    }

    /**
     * A client whose XEP-0115 caps ask for notifications of {@code nodes} (and of {@link #PROBE}, see
     * {@link #awaitNotified}) from its initial presence on, as a client that registers PEP listeners does. Other
     * test classes log their users in with it too.
     */
    static XMPPTCPConnection loginAsking(XMPPTCPConnectionConfiguration configuration, String... nodes)
            throws Exception {
        XMPPTCPConnection connection = unconnected(configuration, nodes);
        connection.connect().login();
        return connection;
    }

    /** The same client before it connects, for listeners that must not miss what comes right after login. */
    private static XMPPTCPConnection unconnected(String user, String resource, String... nodes) throws Exception {
        return unconnected(configuration(user, resource), nodes);
    }

    private static XMPPTCPConnection unconnected(XMPPTCPConnectionConfiguration configuration, String... nodes) {
        XMPPTCPConnection connection = new XMPPTCPConnection(configuration);
        connection.setReplyTimeout(10_000);
        ServiceDiscoveryManager discovery = ServiceDiscoveryManager.getInstanceFor(connection);
        discovery.addFeature(PROBE + "+notify");
        for (String node : nodes) {
            discovery.addFeature(node + "+notify");
        }
        return connection;
    }

    /**
     * Waits until the owner's PEP service knows the caps of each client (logged in with {@link #PROBE}+notify): the
     * owner publishes to the probe node until every one of them got a notification of it.
     */
    static void awaitNotified(XMPPTCPConnection owner, XMPPTCPConnection... clients) {
        Set<XMPPTCPConnection> notified = ConcurrentHashMap.newKeySet();
        for (XMPPTCPConnection client : clients) {
            client.addAsyncStanzaListener(m -> notified.add(client), m -> m instanceof Message message
                    && message.hasExtension("event", EVENT) && message.toXML().toString().contains(PROBE));
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> {
            PepManager.getInstanceFor(owner).publish(PROBE, new PayloadItem<>("p", new SimplePayload(
                    "<probe xmlns='" + PROBE + "'/>")));
            return notified.size() == clients.length;
        });
    }

    private static BareJid jid(String user) {
        return SubscriptionEndToEndTest.jid(user);
    }

    private static String attribute(String startTag, String name) {
        Matcher value = Pattern.compile("\\s" + name + "=[\"']([^\"']*)[\"']").matcher(startTag);
        assertThat(value.find()).as("%s in %s", name, startTag).isTrue();
        return value.group(1);
    }

    /** The PEP event messages a connection receives, as XML. */
    static BlockingQueue<String> events(XMPPTCPConnection connection) {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(m -> events.add(m.toXML().toString()),
                s -> s instanceof Message m && m.hasExtension("event", EVENT) && !m.toXML().toString().contains(PROBE));
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
    void theResourcesThatAskForANodeGetItsNotificationsOthersDoNot() throws Exception {
        XMPPTCPConnection alice = loginAsking("alice", "desk", AVATAR);
        XMPPTCPConnection alicePhone = loginAsking("alice", "phone", AVATAR);
        XMPPTCPConnection bob = loginAsking("bob", "laptop", AVATAR);
        XMPPTCPConnection bobWatch = loginAsking("bob", "watch");
        XMPPTCPConnection carol = loginAsking("carol", "tablet", AVATAR);
        try {
            awaitNotified(alice, alicePhone, bob, bobWatch);
            BlockingQueue<String> bobEvents = events(bob);
            BlockingQueue<String> watchEvents = events(bobWatch);
            BlockingQueue<String> phoneEvents = events(alicePhone);
            BlockingQueue<String> carolEvents = events(carol);
            String metadata = "<metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='12345' height='64' "
                    + "id='111f4b3c50d7b0df729d299bc6f8e9ef9066971f' type='image/png' width='64'/></metadata>";
            PepManager.getInstanceFor(alice).publish(AVATAR,
                    new PayloadItem<>("111f4b3c50d7b0df729d299bc6f8e9ef9066971f", new SimplePayload(metadata)));

            // XEP-0163 §4.3.4: to the full JID of each resource with +notify, the owner's other resource included.
            String seenByBob = bobEvents.poll(5, TimeUnit.SECONDS);
            assertThat(seenByBob).contains("urn:xmpp:avatar:metadata").contains("111f4b3c50d7b0df729d299bc6f8e9ef9066971f")
                    .contains("from='alice@localhost'").contains("to='bob@localhost/laptop'").contains("headline");
            assertThat(phoneEvents.poll(5, TimeUnit.SECONDS)).contains("urn:xmpp:avatar:metadata");
            // Bob's watch did not ask for avatars (its caps are known: it got the probes); Carol is no contact.
            assertThat(watchEvents.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(carolEvents.poll(1, TimeUnit.SECONDS)).isNull();

            // The presence access model (PEP's default): Bob reads the item, Carol is told she needs a subscription.
            assertThat(itemsXml(bob, "alice", AVATAR)).contains("bytes='12345'");
            assertThat(RawIq.errorOf(carol, RawIq.get(jid("alice"), "pubsub", PUBSUB,
                    "<items node='urn:xmpp:avatar:metadata'/>"))).isEqualTo(StanzaError.Condition.not_authorized);
        } finally {
            alice.disconnect();
            alicePhone.disconnect();
            bob.disconnect();
            bobWatch.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void aResourceThatComesOnlineOrNewlyAsksGetsTheLastItemAStrangerDoesNot() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        try {
            PepManager.getInstanceFor(alice).publish(TUNE, new PayloadItem<>("t1", new SimplePayload(
                    "<tune xmlns='http://jabber.org/protocol/tune'><title>Gavotte</title></tune>")));
            PepManager.getInstanceFor(alice).publish(TUNE, new PayloadItem<>("t2", new SimplePayload(
                    "<tune xmlns='http://jabber.org/protocol/tune'><title>Sarabande</title></tune>")));

            // XEP-0163 §4.3.4 rule 2: the newly available resource gets the last item, with its delay stamp.
            XMPPTCPConnection bob = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "bob", "bob-secret",
                    null).setResource("radio").build());
            BlockingQueue<String> bobEvents = events(bob);
            ServiceDiscoveryManager.getInstanceFor(bob).addFeature(TUNE + "+notify");
            XMPPTCPConnection carol = new XMPPTCPConnection(XmppClients.startTls(server.c2sPort(), "carol",
                    "carol-secret", null).setResource("radio").build());
            BlockingQueue<String> carolEvents = events(carol);
            ServiceDiscoveryManager.getInstanceFor(carol).addFeature(TUNE + "+notify");
            XMPPTCPConnection bobLater = login("bob", "later");
            BlockingQueue<String> laterEvents = events(bobLater);
            try {
                bob.connect().login();
                carol.connect().login();
                String last = bobEvents.poll(10, TimeUnit.SECONDS);
                assertThat(last).contains("Sarabande").doesNotContain("Gavotte").contains("urn:xmpp:delay")
                        .contains("to='bob@localhost/radio'");
                assertThat(bobEvents.poll(1, TimeUnit.SECONDS)).isNull();
                // Carol is no contact of Alice: no last item however interested her client is.
                assertThat(carolEvents.poll(1, TimeUnit.SECONDS)).isNull();

                // A resource already online whose caps newly ask for tunes gets the last one too.
                assertThat(laterEvents.poll(1, TimeUnit.SECONDS)).isNull();
                ServiceDiscoveryManager.getInstanceFor(bobLater).addFeature(TUNE + "+notify");
                assertThat(laterEvents.poll(10, TimeUnit.SECONDS)).contains("Sarabande");
            } finally {
                bob.disconnect();
                carol.disconnect();
                bobLater.disconnect();
            }
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void capsThatDoNotVerifyAreNotCachedAndGetNothing() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = loginAsking("bob", "laptop", MOOD);
        // Smack puts its own caps into every presence, so the forger speaks raw XML.
        try (RawXmppSocket forger = RawXmppSocket.loggedIn(server.c2sPort(), "bob", "bob-secret", "forger")) {
            awaitNotified(alice, bob);
            BlockingQueue<String> bobEvents = events(bob);
            // Caps that claim a ver its disco#info does not hash to (XEP-0115 §5.4): the features it lists
            // (mood+notify) must not be believed, nor kept for the next client with that ver.
            String forgedVer = "Zm9yZ2VkLXZlci1kb2VzLW5vdC1oYXNo";
            String query = forger.step("<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
                    + "node='urn:test:forger' ver='" + forgedVer + "'/></presence>", "urn:test:forger#" + forgedVer);
            Matcher request = Pattern.compile("(<iq [^>]*>)\\s*<query[^>]*urn:test:forger#").matcher(query);
            assertThat(request.find()).as("the server asked the forger's disco#info: %s", query).isTrue();
            String id = attribute(request.group(1), "id");
            // XEP-0115 §6.2 through a PEP service: from an account's bare JID (Alice's or Bob's, who both see it).
            String asker = attribute(request.group(1), "from");
            assertThat(asker).isIn("alice@localhost", "bob@localhost");
            forger.send("<iq type='result' to='" + asker + "' id='" + id + "'><query "
                    + "xmlns='http://jabber.org/protocol/disco#info' node='urn:test:forger#" + forgedVer + "'>"
                    + "<identity category='client' type='pc' name='Forger'/>"
                    + "<feature var='http://jabber.org/protocol/disco#info'/>"
                    + "<feature var='" + MOOD + "+notify'/></query></iq>");

            PepManager.getInstanceFor(alice).publish(MOOD, new PayloadItem<>("m", new SimplePayload(
                    "<mood xmlns='http://jabber.org/protocol/mood'><curious/></mood>")));
            // Bob's genuine client is unaffected; the forger gets nothing, and its ver is not cached.
            assertThat(bobEvents.poll(5, TimeUnit.SECONDS)).contains("curious");
            assertThat(forger.readUntil("curious", 1000)).doesNotContain("curious");
            JdbcClient jdbc = JdbcClient.create(server.context().getBean(DataSource.class));
            assertThat(jdbc.sql("SELECT COUNT(*) FROM capability_store WHERE capability = 'pep' AND store = 'caps' "
                    + "AND item_key = ?").param("sha-1 " + forgedVer).query(Integer.class).single()).isZero();
            // Smack's own caps verified and were kept for the whole server.
            String bobVer = EntityCapsManager.getInstanceFor(bob).getCapsVersionAndHash().version;
            assertThat(jdbc.sql("SELECT item_value FROM capability_store WHERE capability = 'pep' AND store = 'caps' "
                    + "AND item_key = ?").param("sha-1 " + bobVer).query(String.class).single())
                    .contains(MOOD + "+notify");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void bookmarksOnAWhitelistNodeStayPrivate() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = loginAsking("bob", "laptop", "urn:xmpp:bookmarks:1");
        try {
            awaitNotified(alice, bob);
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
    void bookmarksStayInStepBetweenPepAndPrivateStorage() throws Exception {
        XMPPTCPConnection modern = loginAsking("erin", "modern", BOOKMARKS);
        try {
            awaitNotified(modern, modern);
            BlockingQueue<String> modernEvents = events(modern);
            // XEP-0411 §2: the account says it converts.
            assertThat(ServiceDiscoveryManager.getInstanceFor(modern).discoverInfo(jid("erin")).getFeatures())
                    .extracting(f -> f.getVar()).contains("urn:xmpp:bookmarks-conversion:0", BOOKMARKS + "#compat");

            // A XEP-0402 client bookmarks a room: a XEP-0048 client finds it in private storage.
            modern.sendIqRequestAndWaitForResponse(publishWithOptions(BOOKMARKS, "<item id='pep@conference.localhost'>"
                    + "<conference xmlns='urn:xmpp:bookmarks:1' name='From PEP' autojoin='true'><nick>erin</nick>"
                    + "</conference></item>", "pubsub#persist_items", "true", "pubsub#max_items", "max",
                    "pubsub#access_model", "whitelist"));
            assertThat(modernEvents.poll(5, TimeUnit.SECONDS)).contains("pep@conference.localhost");
            await().atMost(Duration.ofSeconds(5)).until(() -> privateBookmarks(modern)
                    .contains("pep@conference.localhost"));
            assertThat(privateBookmarks(modern)).contains("From PEP").containsPattern("autojoin=['\"]true")
                    .contains("<nick>erin</nick>");

            // A XEP-0048 client (Smack's BookmarkManager reads, adds and writes the whole list back): the room it adds
            // becomes an item of the PEP node, and the PEP client is told.
            XMPPTCPConnection legacy = login("erin", "legacy");
            try {
                BookmarkManager bookmarks = BookmarkManager.getBookmarkManager(legacy);
                assertThat(bookmarks.getBookmarkedConferences()).extracting(c -> c.getJid().toString())
                        .containsExactly("pep@conference.localhost");
                bookmarks.addBookmarkedConference("From storage", JidCreate.entityBareFrom("old@conference.localhost"),
                        false, Resourcepart.from("erin2"), null);
                String added = modernEvents.poll(5, TimeUnit.SECONDS);
                assertThat(added).contains("old@conference.localhost").contains("From storage").contains("erin2");
                assertThat(itemsXml(modern, "erin", BOOKMARKS)).contains("old@conference.localhost")
                        .contains("pep@conference.localhost");

                // Removed through private storage: retracted from the node, with a notification.
                bookmarks.removeBookmarkedConference(JidCreate.entityBareFrom("pep@conference.localhost"));
                assertThat(modernEvents.poll(5, TimeUnit.SECONDS)).contains("<retract id='pep@conference.localhost'");
                assertThat(itemsXml(modern, "erin", BOOKMARKS)).doesNotContain("pep@conference.localhost")
                        .contains("old@conference.localhost");
                // The copy PEP made is not converted back again: nothing more arrives.
                assertThat(modernEvents.poll(1, TimeUnit.SECONDS)).isNull();
            } finally {
                legacy.disconnect();
            }
            // Only the server may hand bookmarks over: a client's own attempt is refused.
            assertThat(RawIq.errorOf(modern, RawIq.set(null, "sync", "urn:aviary:bookmarks-conversion",
                    "<storage xmlns='storage:bookmarks'/>"))).isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            modern.disconnect();
        }
    }

    private static String privateBookmarks(XMPPTCPConnection connection) throws Exception {
        return connection.sendIqRequestAndWaitForResponse(RawIq.get(null, "query", "jabber:iq:private",
                "<storage xmlns='storage:bookmarks'/>")).toXML().toString();
    }

    @Test
    void displayedMarkersArePrivateAndNeverSentUnasked() throws Exception {
        // XEP-0490's node with the publish-options it (like XEP-0223 private PEP) asks for: persistent, every item,
        // whitelist, and no last item sent unasked.
        String node = "urn:xmpp:mds:displayed:0";
        XMPPTCPConnection alice = loginAsking("alice", "desk", node);
        XMPPTCPConnection bob = loginAsking("bob", "laptop", node);
        try {
            awaitNotified(alice, alice, bob);
            BlockingQueue<String> aliceEvents = events(alice);
            BlockingQueue<String> bobEvents = events(bob);
            alice.sendIqRequestAndWaitForResponse(publishWithOptions(node, "<item id='bob@localhost'><displayed "
                            + "xmlns='urn:xmpp:mds:displayed:0'><stanza-id xmlns='urn:xmpp:sid:0' by='alice@localhost' "
                            + "id='0f710f2b'/></displayed></item>", "pubsub#persist_items", "true",
                    "pubsub#max_items", "max", "pubsub#send_last_published_item", "never",
                    "pubsub#access_model", "whitelist"));
            assertThat(aliceEvents.poll(5, TimeUnit.SECONDS)).contains("0f710f2b");
            assertThat(bobEvents.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(RawIq.errorOf(bob, RawIq.get(jid("alice"), "pubsub", PUBSUB, "<items node='" + node + "'/>")))
                    .isEqualTo(StanzaError.Condition.not_allowed);
            // The same options again meet the node's configuration; another send_last_published_item does not.
            alice.sendIqRequestAndWaitForResponse(publishWithOptions(node, "<item id='carol@localhost'><displayed "
                            + "xmlns='urn:xmpp:mds:displayed:0'><stanza-id xmlns='urn:xmpp:sid:0' by='alice@localhost' "
                            + "id='77aa'/></displayed></item>", "pubsub#persist_items", "true",
                    "pubsub#max_items", "max", "pubsub#send_last_published_item", "never",
                    "pubsub#access_model", "whitelist"));
            assertThat(RawIq.errorOf(alice, publishWithOptions(node, "<item id='x'><displayed "
                    + "xmlns='urn:xmpp:mds:displayed:0'/></item>", "pubsub#send_last_published_item",
                    "on_sub_and_presence"))).isEqualTo(StanzaError.Condition.conflict);
            assertThat(itemsXml(alice, "alice", node)).contains("0f710f2b").contains("77aa");

            // never: the owner's resource that comes online gets no marker unasked.
            XMPPTCPConnection phone = unconnected("alice", "phone", node);
            BlockingQueue<String> phoneEvents = events(phone);
            phone.connect().login();
            try {
                awaitNotified(alice, phone);
                assertThat(phoneEvents.poll(1, TimeUnit.SECONDS)).isNull();
            } finally {
                phone.disconnect();
            }
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void anAvatarPublishedInPepIsTheVcardPhotoAndAVcardPhotoBecomesTheAvatar() throws Exception {
        XMPPTCPConnection erin = loginAsking("erin", "desk", AVATAR);
        try {
            awaitNotified(erin, erin);
            BlockingQueue<String> events = events(erin);
            assertThat(ServiceDiscoveryManager.getInstanceFor(erin).discoverInfo(jid("erin")).getFeatures())
                    .extracting(f -> f.getVar()).contains("urn:xmpp:pep-vcard-conversion:0");

            // XEP-0398 §3.1: data, then metadata naming it by its SHA-1: the vCard's PHOTO is that image.
            byte[] image = "not really a png, but bytes".getBytes(StandardCharsets.UTF_8);
            String id = sha1(image);
            String base64 = Base64.getEncoder().encodeToString(image);
            erin.sendIqRequestAndWaitForResponse(RawIq.set(null, "pubsub", PUBSUB, "<publish node='urn:xmpp:avatar:data'>"
                    + "<item id='" + id + "'><data xmlns='urn:xmpp:avatar:data'>" + base64 + "</data></item></publish>"));
            erin.sendIqRequestAndWaitForResponse(RawIq.set(null, "pubsub", PUBSUB, "<publish node='" + AVATAR + "'>"
                    + "<item id='" + id + "'><metadata xmlns='urn:xmpp:avatar:metadata'><info bytes='" + image.length
                    + "' id='" + id + "' type='image/png'/></metadata></item></publish>"));
            assertThat(events.poll(5, TimeUnit.SECONDS)).contains(id);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                byte[] photo = VCardManager.getInstanceFor(erin).loadVCard().getAvatar();
                return photo != null && Arrays.equals(photo, image);
            });

            // §3.2: a client of vCards sets another photo: it becomes the avatar, with a metadata notification.
            byte[] other = "another image".getBytes(StandardCharsets.UTF_8);
            VCard vcard = VCardManager.getInstanceFor(erin).loadVCard();
            vcard.setAvatar(other, "image/jpeg");
            VCardManager.getInstanceFor(erin).saveVCard(vcard);
            String notified = events.poll(5, TimeUnit.SECONDS);
            assertThat(notified).contains(sha1(other)).contains("image/jpeg")
                    .contains("bytes='" + other.length + "'");
            assertThat(itemsXml(erin, "erin", "urn:xmpp:avatar:data"))
                    .contains(Base64.getEncoder().encodeToString(other));
            // The server's own copy is not converted back: the vCard keeps the client's photo, nothing else arrives.
            assertThat(events.poll(1, TimeUnit.SECONDS)).isNull();
            assertThat(VCardManager.getInstanceFor(erin).loadVCard().getAvatar()).isEqualTo(other);

            // §4: the server puts the photo's hash into the presence it broadcasts (here to Erin's other resource).
            BlockingQueue<String> presences = new LinkedBlockingQueue<>();
            erin.addAsyncStanzaListener(p -> presences.add(p.toXML().toString()), p -> p instanceof Presence presence
                    && presence.getFrom() != null && presence.getFrom().toString().equals("erin@localhost/tablet"));
            XMPPTCPConnection tablet = login("erin", "tablet");
            try {
                assertThat(presences.poll(5, TimeUnit.SECONDS)).contains("vcard-temp:x:update")
                        .contains("<photo>" + sha1(other) + "</photo>");
            } finally {
                tablet.disconnect();
            }
        } finally {
            erin.disconnect();
        }
    }

    /**
     * An OMEMO key or signature as a bundle carries it, base64: {@code length} bytes, public keys (33) starting with
     * libsignal's Curve25519 type byte 0x05, signatures 64 bytes. Seeded, so each value is distinct and repeatable.
     */
    private static String omemoBase64(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        if (length == 33) {
            bytes[0] = 0x05;
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    @Test
    void anOmemoDeviceListAndBundlePublishedOpenAreReadByAContactAndAStranger() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = login("bob", "laptop");
        XMPPTCPConnection carol = login("carol", "tablet");
        try {
            // OMEMO (as Conversations publishes it): the device list and each device's bundle, both open.
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("eu.siacs.conversations.axolotl.devicelist",
                    "<item id='current'><list xmlns='eu.siacs.conversations.axolotl'><device id='4223'/></list></item>",
                    "pubsub#access_model", "open"));
            String signedPreKey = omemoBase64(1, 33);
            String signature = omemoBase64(2, 64);
            String identityKey = omemoBase64(3, 33);
            String preKey1 = omemoBase64(4, 33);
            String preKey2 = omemoBase64(5, 33);
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("eu.siacs.conversations.axolotl.bundles:4223",
                    "<item id='current'><bundle xmlns='eu.siacs.conversations.axolotl'>"
                            + "<signedPreKeyPublic signedPreKeyId='1'>" + signedPreKey + "</signedPreKeyPublic>"
                            + "<signedPreKeySignature>" + signature + "</signedPreKeySignature>"
                            + "<identityKey>" + identityKey + "</identityKey><prekeys>"
                            + "<preKeyPublic preKeyId='1'>" + preKey1 + "</preKeyPublic>"
                            + "<preKeyPublic preKeyId='2'>" + preKey2 + "</preKeyPublic></prekeys></bundle></item>",
                    "pubsub#access_model", "open"));
            for (XMPPTCPConnection reader : List.of(bob, carol)) {
                assertThat(itemsXml(reader, "alice", "eu.siacs.conversations.axolotl.devicelist"))
                        .contains("4223").contains("id='current'");
                // Everything a peer needs to start a session with device 4223 arrives as published.
                assertThat(itemsXml(reader, "alice", "eu.siacs.conversations.axolotl.bundles:4223"))
                        .contains("id='current'")
                        .containsPattern("signedPreKeyId=['\"]1['\"]>" + Pattern.quote(signedPreKey) + "<")
                        .contains(">" + signature + "<", ">" + identityKey + "<", ">" + preKey1 + "<")
                        .containsPattern("preKeyId=['\"]2['\"]>" + Pattern.quote(preKey2) + "<");
            }
            // A device whose bundle was never published: item-not-found, for contacts and strangers alike.
            assertThat(RawIq.errorOf(carol, RawIq.get(jid("alice"), "pubsub", PUBSUB,
                    "<items node='eu.siacs.conversations.axolotl.bundles:9999'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    /**
     * Two users who become each other's contacts while online get each other's events, whichever approved first: the
     * first approval's presence reaches the other's account before that account's own approval (and no presence
     * follows it), so PEP must keep it.
     */
    @Test
    void usersWhoBecomeContactsWhileOnlineGetEachOthersEvents() throws Exception {
        XMPPTCPConnection frank = loginAsking("frank", "desk", MOOD);
        XMPPTCPConnection grace = loginAsking("grace", "desk", MOOD);
        Roster frankRoster = Roster.getInstanceFor(frank);
        Roster graceRoster = Roster.getInstanceFor(grace);
        try {
            // Grace approves first: her presence reaches Frank's account while Frank does not yet share his.
            graceRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            frankRoster.createItemAndRequestSubscription(jid("grace"), "Grace", null);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SubscriptionEndToEndTest.typeOf(frankRoster, "grace") == ItemType.to);
            frankRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            graceRoster.createItemAndRequestSubscription(jid("frank"), "Frank", null);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SubscriptionEndToEndTest.typeOf(frankRoster, "grace") == ItemType.both
                            && SubscriptionEndToEndTest.typeOf(graceRoster, "frank") == ItemType.both);
            awaitNotified(frank, grace);
            awaitNotified(grace, frank);
        } finally {
            frank.disconnect();
            grace.disconnect();
        }
    }

    @Test
    void aRosterNodeWithGroupsAdmitsOnlyContactsInThem() throws Exception {
        XMPPTCPConnection alice = login("alice", "desk");
        XMPPTCPConnection bob = login("bob", "laptop");
        Roster roster = Roster.getInstanceFor(alice);
        try {
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("urn:example:plans",
                    "<item id='p1'><plans xmlns='urn:example:plans'>picnic</plans></item>",
                    "pubsub#access_model", "roster", "pubsub#roster_groups_allowed", "Friends"));
            // Bob is Alice's contact, but in no group: XEP-0060 §6.1.3.4, not-authorized with not-in-roster-group.
            assertThat(RawIq.errorOf(bob, RawIq.get(jid("alice"), "pubsub", PUBSUB,
                    "<items node='urn:example:plans'/>"))).isEqualTo(StanzaError.Condition.not_authorized);
            roster.createItem(jid("bob"), "Bob", new String[] {"Friends"});
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(itemsXml(bob, "alice",
                    "urn:example:plans")).contains("picnic"));
        } finally {
            roster.createItem(jid("bob"), "Bob", null);
            alice.disconnect();
            bob.disconnect();
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
        XMPPTCPConnection bob = loginAsking("bob", "laptop", "http://jabber.org/protocol/mood");
        try {
            awaitNotified(alice, bob);
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
        XMPPTCPConnection bob = login("bob", "laptop");
        XMPPTCPConnection carol = login("carol", "tablet");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(jid("alice"));
            assertThat(info.getFeatures()).extracting(f -> f.getVar())
                    .contains(PUBSUB + "#publish", PUBSUB + "#publish-options", PUBSUB + "#access-whitelist",
                            PUBSUB + "#filtered-notifications", PUBSUB + "#last-published");
            // XEP-0163 §6.1: the account is a PEP service.
            assertThat(info.hasIdentity("pubsub", "pep")).isTrue();
            assertThat(info.hasIdentity("account", "registered")).isTrue();

            // disco#items lists the nodes: all to the owner, to a contact those it may read, none to a stranger.
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("urn:test:disco-shared",
                    "<item><shared xmlns='urn:test:disco-shared'/></item>"));
            alice.sendIqRequestAndWaitForResponse(publishWithOptions("urn:test:disco-private",
                    "<item><private xmlns='urn:test:disco-private'/></item>", "pubsub#access_model", "whitelist"));
            assertThat(ServiceDiscoveryManager.getInstanceFor(alice).discoverItems(jid("alice")).getItems())
                    .extracting(DiscoverItems.Item::getNode).contains("urn:test:disco-shared", "urn:test:disco-private");
            assertThat(ServiceDiscoveryManager.getInstanceFor(bob).discoverItems(jid("alice")).getItems())
                    .extracting(DiscoverItems.Item::getNode).contains("urn:test:disco-shared")
                    .doesNotContain("urn:test:disco-private");
            assertThat(ServiceDiscoveryManager.getInstanceFor(carol).discoverItems(jid("alice")).getItems()).isEmpty();
        } finally {
            bob.disconnect();
            carol.disconnect();
            alice.disconnect();
        }
    }

    /**
     * Removing the account deletes its nodes, and what alice's PEP service gave it (a whitelist membership) and it
     * asked of it (a subscription) goes too: whoever registers the name next reads nothing shared with dave.
     */
    @Test
    void removingTheAccountDeletesItsNodesAndItsPlaceAtOthers() throws Exception {
        XMPPTCPConnection dave = login("dave", "desk");
        XMPPTCPConnection alice = login("alice", "desk");
        PubsubStore store = server.context().getBean(PubsubStore.class);
        String diary = "urn:test:diary";
        try {
            alice.sendIqRequestAndWaitForResponse(publishWithOptions(diary, "<item><diary xmlns='" + diary + "'/></item>",
                    "pubsub#access_model", "whitelist"));
            store.affiliate("alice@localhost", diary, "dave@localhost", Affiliation.MEMBER);
            store.subscribe("alice@localhost", Subscription.of(diary, "dave@localhost/desk", SubscriptionState.SUBSCRIBED));
            PepManager.getInstanceFor(dave).publish("http://jabber.org/protocol/tune", new PayloadItem<>("t",
                    new SimplePayload("<tune xmlns='http://jabber.org/protocol/tune'><title>Sonata</title></tune>")));
            assertThat(store.nodes("dave@localhost")).extracting(PubsubNode::node)
                    .containsExactly("http://jabber.org/protocol/tune");
            XmppClients.cancelAccount(dave);
        } finally {
            dave.disconnect();
            alice.disconnect();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> store.nodes("dave@localhost").isEmpty()
                && store.servicesNaming("dave@localhost").isEmpty());
        assertThat(store.affiliations("alice@localhost", diary)).containsOnlyKeys("alice@localhost");
    }
}
