package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.aviary.admin.AdminOperations;
import io.aviary.testclients.PubsubAuthorizations;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0060.PubsubStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.Affiliation;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.ItemPublishEvent;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.jivesoftware.smackx.pubsub.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0060 at pubsub.localhost through Smack's PubSubManager and raw requests: create, subscribe, publish, notify,
 * subscription options, an entity's subscriptions and affiliations, the access models, owner authorization, paging,
 * refusals. Each test uses nodes of its own, so the tests share one server.
 */
class PubsubServiceEndToEndTest {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    private static final DomainBareJid SERVICE = JidCreate.domainBareFromOrThrowUnchecked("pubsub.localhost");

    private static AviaryTestServer server;

    @BeforeAll
    static void start() throws Exception {
        PubsubAuthorizations.parseSubscriptionEvents();
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol", "dave", "erin"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
        }
        // Dave receives Alice's presence (both ways); Erin is only listed on Alice's roster, in the group Friends, without
        // a subscription.
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection dave = login("dave");
        try {
            SubscriptionEndToEndTest.subscribeBothWays(alice, "alice", dave, "dave");
            Roster.getInstanceFor(alice).createItem(SubscriptionEndToEndTest.jid("erin"), "Erin",
                    new String[] {"Friends"});
        } finally {
            alice.disconnect();
            dave.disconnect();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    private static void assertRefused(ThrowingCall call, StanzaError.Condition condition) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(condition));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** The owner sets one field of a node's configuration (XEP-0060 §8.2.4). */
    private static void configure(XMPPTCPConnection owner, String node, String field, String value) throws Exception {
        owner.sendIqRequestAndWaitForResponse(RawIq.set(SERVICE, "pubsub", PUBSUB + "#owner",
                "<configure node='" + node + "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
                        + "type='hidden'><value>" + PUBSUB + "#node_config</value></field>"
                        + "<field var='" + field + "'><value>" + value + "</value></field></x></configure>"));
    }

    /** A request's answer as XML. */
    private static String ask(XMPPTCPConnection connection, RawIq request) throws Exception {
        return connection.sendIqRequestAndWaitForResponse(request).toXML().toString();
    }

    private static RawIq options(String node, String jid, String... fields) {
        StringBuilder form = new StringBuilder("<options node='" + node + "' jid='" + jid + "'>");
        if (fields.length > 0) {
            form.append("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>")
                    .append(PUBSUB).append("#subscribe_options</value></field>");
            for (int i = 0; i < fields.length; i += 2) {
                form.append("<field var='").append(fields[i]).append("'><value>").append(fields[i + 1])
                        .append("</value></field>");
            }
            form.append("</x>");
        }
        return fields.length > 0 ? RawIq.set(SERVICE, "pubsub", PUBSUB, form + "</options>")
                : RawIq.get(SERVICE, "pubsub", PUBSUB, form + "</options>");
    }

    @Test
    void theServiceIsFoundCreatedSubscribedAndNotifies() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        XMPPTCPConnection carol = login("carol");
        try {
            DomainBareJid service = PubSubManager.getPubSubService(bob);
            assertThat(service.toString()).isEqualTo("pubsub.localhost");

            LeafNode aliceNode = PubSubManager.getInstanceFor(alice, service).createNode("news");
            LeafNode bobNode = PubSubManager.getInstanceFor(bob, service).getLeafNode("news");
            BlockingQueue<ItemPublishEvent<Item>> published = new LinkedBlockingQueue<>();
            bobNode.addItemEventListener(published::add);
            bobNode.subscribe(bob.getUser());

            aliceNode.publish(new PayloadItem<>("first",
                    new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'><title>Hello</title></entry>")));
            ItemPublishEvent<Item> event = published.poll(5, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.getItems()).extracting(Item::getId).containsExactly("first");
            assertThat(bobNode.<Item>getItems()).extracting(Item::getId).containsExactly("first");

            // Only owners and publishers publish; a second create of the same node conflicts.
            LeafNode carolNode = PubSubManager.getInstanceFor(carol, service).getLeafNode("news");
            assertRefused(() -> carolNode.publish(new PayloadItem<>("x",
                    new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'/>"))), StanzaError.Condition.forbidden);
            assertRefused(() -> PubSubManager.getInstanceFor(carol, service).createNode("news"),
                    StanzaError.Condition.conflict);
            assertRefused(() -> PubSubManager.getInstanceFor(carol, service).deleteNode("news"),
                    StanzaError.Condition.forbidden);

            // After unsubscribing Bob hears nothing more.
            bobNode.unsubscribe(bob.getUser().toString());
            aliceNode.publish(new PayloadItem<>("second",
                    new SimplePayload("<entry xmlns='http://www.w3.org/2005/Atom'><title>Again</title></entry>")));
            assertThat(published.poll(1, TimeUnit.SECONDS)).isNull();

            // XEP-0060 §6.1.7: a new subscriber gets the last item at once.
            BlockingQueue<ItemPublishEvent<Item>> carolGot = new LinkedBlockingQueue<>();
            carolNode.addItemEventListener(carolGot::add);
            carolNode.subscribe(carol.getUser());
            ItemPublishEvent<Item> last = carolGot.poll(5, TimeUnit.SECONDS);
            assertThat(last).isNotNull();
            assertThat(last.getItems()).extracting(Item::getId).containsExactly("second");
            assertThat(last.isDelayed()).isTrue();

            assertThat(PubSubManager.getInstanceFor(alice, service).deleteNode("news")).isTrue();
            // (Smack's managers cache nodes they have seen: ask the service itself.)
            assertThat(RawIq.errorOf(bob, RawIq.get(service, "pubsub", "http://jabber.org/protocol/pubsub",
                    "<items node='news'/>"))).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void aWhitelistNodeAdmitsOnlyItsMembers() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection carol = login("carol");
        try {
            DomainBareJid service = JidCreate.domainBareFrom("pubsub.localhost");
            PubSubManager.getInstanceFor(alice, service).createNode("team");
            alice.sendIqRequestAndWaitForResponse(RawIq.set(service, "pubsub", "http://jabber.org/protocol/pubsub#owner",
                    "<configure node='team'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' "
                            + "type='hidden'><value>http://jabber.org/protocol/pubsub#node_config</value></field>"
                            + "<field var='pubsub#access_model'><value>whitelist</value></field></x></configure>"));
            LeafNode carolNode = PubSubManager.getInstanceFor(carol, service).getLeafNode("team");
            assertRefused(() -> carolNode.subscribe(carol.getUser()), StanzaError.Condition.not_allowed);
            assertRefused(carolNode::getItems, StanzaError.Condition.not_allowed);

            alice.sendIqRequestAndWaitForResponse(RawIq.set(service, "pubsub", "http://jabber.org/protocol/pubsub#owner",
                    "<affiliations node='team'><affiliation jid='carol@localhost' affiliation='member'/></affiliations>"));
            assertThat(carolNode.subscribe(carol.getUser()).getNode()).isEqualTo("team");
            assertThat(carolNode.<Item>getItems()).isEqualTo(List.of());
        } finally {
            alice.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void aSubscriberSeesItsSubscriptionsAndAffiliationsAndChoosesDelivery() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        XMPPTCPConnection carol = login("carol");
        try {
            LeafNode aliceNode = PubSubManager.getInstanceFor(alice, SERVICE).createNode("weather");
            LeafNode bobNode = PubSubManager.getInstanceFor(bob, SERVICE).getLeafNode("weather");
            BlockingQueue<ItemPublishEvent<Item>> published = new LinkedBlockingQueue<>();
            bobNode.addItemEventListener(published::add);
            bobNode.subscribe(bob.getUser().asBareJid());

            // XEP-0060 §5.6 and §5.7: each entity sees its own.
            assertThat(PubSubManager.getInstanceFor(bob, SERVICE).getSubscriptions())
                    .extracting(Subscription::getNode, sub -> sub.getJid().toString(), Subscription::getState)
                    .containsExactly(tuple("weather", "bob@localhost", Subscription.State.subscribed));
            assertThat(PubSubManager.getInstanceFor(carol, SERVICE).getSubscriptions()).isEmpty();
            assertThat(PubSubManager.getInstanceFor(alice, SERVICE).getAffiliations())
                    .extracting(Affiliation::getNode, Affiliation::getAffiliation)
                    .contains(tuple("weather", Affiliation.Type.owner));

            // §6.3: the options form, then delivery switched off and on again.
            assertThat(ask(bob, options("weather", "bob@localhost"))).contains("subscribe_options")
                    .contains("pubsub#deliver");
            bob.sendIqRequestAndWaitForResponse(options("weather", "bob@localhost", "pubsub#deliver", "0"));
            aliceNode.publish(new PayloadItem<>("rain", new SimplePayload("<weather xmlns='urn:example'>rain</weather>")));
            assertThat(published.poll(1, TimeUnit.SECONDS)).isNull();
            bob.sendIqRequestAndWaitForResponse(options("weather", "bob@localhost", "pubsub#deliver", "true"));
            aliceNode.publish(new PayloadItem<>("sun", new SimplePayload("<weather xmlns='urn:example'>sun</weather>")));
            assertThat(published.poll(5, TimeUnit.SECONDS)).isNotNull()
                    .satisfies(event -> assertThat(event.getItems()).extracting(Item::getId).containsExactly("sun"));

            // Another's options are forbidden; options without a subscription, or unknown ones, are refused.
            assertThat(RawIq.errorOf(carol, options("weather", "bob@localhost")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(RawIq.errorOf(carol, options("weather", "carol@localhost")))
                    .isEqualTo(StanzaError.Condition.unexpected_request);
            assertThat(RawIq.errorOf(bob, options("weather", "bob@localhost", "pubsub#digest", "1")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(RawIq.errorOf(bob, options("no-such-node", "bob@localhost")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    @Test
    void anAuthorizeNodeAsksItsOwnerWhoApprovesOrDenies() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        XMPPTCPConnection carol = login("carol");
        XMPPTCPConnection dave = login("dave");
        XMPPTCPConnection erin = login("erin");
        try {
            LeafNode aliceNode = PubSubManager.getInstanceFor(alice, SERVICE).createNode("diary");
            configure(alice, "diary", "pubsub#access_model", "authorize");
            aliceNode.publish(new PayloadItem<>("monday", new SimplePayload("<entry xmlns='urn:example'>1</entry>")));
            BlockingQueue<String> ownerAsked = XmppClients.messagesFrom(alice, SERVICE);
            BlockingQueue<String> carolTold = XmppClients.messagesFrom(carol, SERVICE);
            BlockingQueue<String> daveTold = XmppClients.messagesFrom(dave, SERVICE);

            // §6.1.3.2: the subscription waits; items stay closed; asking again while pending is refused.
            LeafNode carolNode = PubSubManager.getInstanceFor(carol, SERVICE).getLeafNode("diary");
            assertThat(carolNode.subscribe(carol.getUser().asBareJid()).getState())
                    .isEqualTo(Subscription.State.pending);
            assertRefused(carolNode::getItems, StanzaError.Condition.not_authorized);
            assertRefused(() -> carolNode.subscribe(carol.getUser().asBareJid()), StanzaError.Condition.not_authorized);

            // §8.6: the owner is asked with the authorization form.
            String request = ownerAsked.poll(5, TimeUnit.SECONDS);
            assertThat(request).contains("pubsub#subscribe_authorization").contains("carol@localhost")
                    .contains("pubsub#allow");
            // Someone who does not own the node cannot approve.
            BlockingQueue<String> bobTold = XmppClients.messagesFrom(bob, SERVICE);
            bob.sendStanza(PubsubAuthorizations.answer(SERVICE, "diary", "carol@localhost", true));
            assertThat(bobTold.poll(5, TimeUnit.SECONDS)).contains("type='error'").contains("forbidden");
            assertThat(carolTold.poll(1, TimeUnit.SECONDS)).isNull();

            alice.sendStanza(PubsubAuthorizations.answer(SERVICE, "diary", "carol@localhost", true));
            assertThat(carolTold.poll(5, TimeUnit.SECONDS)).contains("subscription='subscribed'");
            // The approved subscriber gets the last item (§6.1.7), and may read the items.
            assertThat(carolTold.poll(5, TimeUnit.SECONDS)).contains("monday");
            assertThat(carolNode.<Item>getItems()).extracting(Item::getId).containsExactly("monday");

            // A denial ends the pending subscription and says so.
            LeafNode daveNode = PubSubManager.getInstanceFor(dave, SERVICE).getLeafNode("diary");
            assertThat(daveNode.subscribe(dave.getUser().asBareJid()).getState()).isEqualTo(Subscription.State.pending);
            assertThat(ownerAsked.poll(5, TimeUnit.SECONDS)).contains("dave@localhost");
            alice.sendStanza(PubsubAuthorizations.answer(SERVICE, "diary", "dave@localhost", false));
            assertThat(daveTold.poll(5, TimeUnit.SECONDS)).contains("subscription='none'");
            // Making a pending subscriber a member approves it (XEP-0060 §8.7, note).
            assertThat(PubSubManager.getInstanceFor(erin, SERVICE).getLeafNode("diary").subscribe(erin.getUser())
                    .getState()).isEqualTo(Subscription.State.pending);
            BlockingQueue<String> erinTold = XmppClients.messagesFrom(erin, SERVICE);
            alice.sendIqRequestAndWaitForResponse(RawIq.set(SERVICE, "pubsub", PUBSUB + "#owner",
                    "<affiliations node='diary'><affiliation jid='erin@localhost' affiliation='member'/></affiliations>"));
            assertThat(erinTold.poll(5, TimeUnit.SECONDS)).contains("subscription='subscribed'");

            // §8.8: the owner sees and manages the node's subscriptions.
            assertThat(aliceNode.getSubscriptionsAsOwner())
                    .extracting(sub -> sub.getJid().toString(), Subscription::getState)
                    .containsExactly(tuple("carol@localhost", Subscription.State.subscribed),
                            tuple(erin.getUser().toString(), Subscription.State.subscribed));
            alice.sendIqRequestAndWaitForResponse(RawIq.set(SERVICE, "pubsub", PUBSUB + "#owner",
                    "<subscriptions node='diary'><subscription jid='dave@localhost' subscription='subscribed'/>"
                            + "<subscription jid='carol@localhost' subscription='none'/><subscription jid='"
                            + erin.getUser() + "' subscription='none'/></subscriptions>"));
            assertThat(daveTold.poll(5, TimeUnit.SECONDS)).contains("subscription='subscribed'");
            assertThat(aliceNode.getSubscriptionsAsOwner()).extracting(sub -> sub.getJid().toString())
                    .containsExactly("dave@localhost");
            assertRefused(carolNode::getItems, StanzaError.Condition.not_authorized);
            assertRefused(() -> carolNode.getSubscriptionsAsOwner(), StanzaError.Condition.forbidden);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
            dave.disconnect();
            erin.disconnect();
        }
    }

    @Test
    void presenceAndRosterNodesFollowTheOwnersRoster() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection carol = login("carol");
        XMPPTCPConnection dave = login("dave");
        XMPPTCPConnection erin = login("erin");
        try {
            PubSubManager.getInstanceFor(alice, SERVICE).createNode("status");
            configure(alice, "status", "pubsub#access_model", "presence");
            PubSubManager.getInstanceFor(alice, SERVICE).createNode("plans");
            configure(alice, "plans", "pubsub#access_model", "roster");

            // §6.1.3.3, §6.1.3.4: presence needs a subscription to the owner's presence, roster a roster item.
            assertThat(PubSubManager.getInstanceFor(dave, SERVICE).getLeafNode("status").subscribe(dave.getUser())
                    .getState()).isEqualTo(Subscription.State.subscribed);
            assertThat(RawIq.errorOf(erin, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='status'/>")))
                    .isEqualTo(StanzaError.Condition.not_authorized);
            assertThat(ask(erin, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='plans'/>"))).contains("plans");
            assertThat(ask(dave, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='plans'/>"))).contains("plans");
            // With pubsub#roster_groups_allowed, only contacts in those groups of the owner's roster.
            PubSubManager.getInstanceFor(alice, SERVICE).createNode("inner");
            configure(alice, "inner", "pubsub#access_model", "roster");
            configure(alice, "inner", "pubsub#roster_groups_allowed", "Friends");
            assertThat(ask(alice, RawIq.get(SERVICE, "pubsub", PUBSUB + "#owner", "<configure node='inner'/>")))
                    .contains("pubsub#roster_groups_allowed").contains("Friends");
            assertThat(ask(erin, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='inner'/>"))).contains("inner");
            assertThat(RawIq.errorOf(dave, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='inner'/>")))
                    .isEqualTo(StanzaError.Condition.not_authorized);
            for (String node : new String[] {"status", "plans", "inner"}) {
                assertThat(RawIq.errorOf(carol, RawIq.get(SERVICE, "pubsub", PUBSUB, "<items node='" + node + "'/>")))
                        .isEqualTo(StanzaError.Condition.not_authorized);
            }
        } finally {
            alice.disconnect();
            carol.disconnect();
            dave.disconnect();
            erin.disconnect();
        }
    }

    @Test
    void itemsComeInPagesBothWays() throws Exception {
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        try {
            LeafNode log = PubSubManager.getInstanceFor(alice, SERVICE).createNode("log");
            for (int i = 1; i <= 5; i++) {
                log.publish(new PayloadItem<>("e" + i, new SimplePayload("<entry xmlns='urn:example'>" + i + "</entry>")));
            }
            // XEP-0060 §6.5.4 with XEP-0059: newest first, two at a time.
            String first = ask(bob, page("<max>2</max>"));
            assertThat(first).contains("id='e5'").contains("id='e4'").doesNotContain("id='e3'")
                    .contains("<count>5</count>").contains("index='0'");
            assertThat(ask(bob, page("<max>2</max><after>e4</after>"))).contains("id='e3'").contains("id='e2'")
                    .doesNotContain("id='e4'").doesNotContain("id='e1'");
            // Backwards: the last page, then the page before an item.
            assertThat(ask(bob, page("<max>2</max><before/>"))).contains("id='e2'").contains("id='e1'")
                    .doesNotContain("id='e3'").contains("index='3'");
            assertThat(ask(bob, page("<max>2</max><before>e2</before>"))).contains("id='e4'").contains("id='e3'")
                    .doesNotContain("id='e5'").doesNotContain("id='e2'");
            assertThat(RawIq.errorOf(bob, page("<max>2</max><after>gone</after>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(RawIq.errorOf(bob, page("<max>-1</max>"))).isEqualTo(StanzaError.Condition.bad_request);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aRemovedAccountTakesItsSubscriptionsAffiliationsAndOwnNodes() throws Exception {
        assertThat(server.accounts().register("frank", "frank-secret").ok()).isTrue();
        XMPPTCPConnection alice = login("alice");
        XMPPTCPConnection bob = login("bob");
        XMPPTCPConnection frank = login("frank");
        PubsubStore store = server.context().getBean(PubsubStore.class);
        try {
            PubSubManager frankService = PubSubManager.getInstanceFor(frank, SERVICE);
            frankService.createNode("frank-news");
            frankService.createNode("frank-shared");
            frank.sendIqRequestAndWaitForResponse(RawIq.set(SERVICE, "pubsub", PUBSUB + "#owner",
                    "<affiliations node='frank-shared'><affiliation jid='alice@localhost' affiliation='owner'/>"
                            + "</affiliations>"));
            PubSubManager.getInstanceFor(bob, SERVICE).getLeafNode("frank-news").subscribe(bob.getUser());
            PubSubManager.getInstanceFor(alice, SERVICE).createNode("club");
            alice.sendIqRequestAndWaitForResponse(RawIq.set(SERVICE, "pubsub", PUBSUB + "#owner",
                    "<affiliations node='club'><affiliation jid='frank@localhost' affiliation='member'/>"
                            + "</affiliations>"));
            PubSubManager.getInstanceFor(frank, SERVICE).getLeafNode("club").subscribe(frank.getUser());
            PubSubManager.getInstanceFor(frank, SERVICE).getLeafNode("club").subscribe(frank.getUser().asBareJid());
            BlockingQueue<String> bobTold = XmppClients.messagesFrom(bob, SERVICE);

            server.context().getBean(AdminOperations.class).deleteUser("admin@localhost", "frank");

            // The node Frank alone owned is deleted and its subscriber told (XEP-0060 §8.4); the shared one is Alice's.
            assertThat(bobTold.poll(10, TimeUnit.SECONDS)).contains("<delete").contains("frank-news");
            assertThat(store.node(SERVICE.toString(), "frank-news")).isEmpty();
            assertThat(store.affiliations(SERVICE.toString(), "frank-shared"))
                    .isEqualTo(Map.of("alice@localhost", io.aviary.xep0060.Affiliation.OWNER));
            assertThat(store.subscriptionsOf(SERVICE.toString(), "frank@localhost")).isEmpty();
            assertThat(store.affiliationsOf(SERVICE.toString(), "frank@localhost")).isEmpty();
            assertThat(store.affiliations(SERVICE.toString(), "club")).containsOnlyKeys("alice@localhost");
        } finally {
            alice.disconnect();
            bob.disconnect();
            frank.disconnect();
        }
    }

    private static RawIq page(String set) {
        return RawIq.get(SERVICE, "pubsub", PUBSUB,
                "<items node='log'/><set xmlns='http://jabber.org/protocol/rsm'>" + set + "</set>");
    }
}
