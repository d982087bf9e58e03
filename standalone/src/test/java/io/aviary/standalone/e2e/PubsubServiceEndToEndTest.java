package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.ItemPublishEvent;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.SimplePayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0060 at pubsub.localhost through Smack's PubSubManager: create, subscribe, publish, notify, refusals. */
class PubsubServiceEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        for (String user : new String[] {"alice", "bob", "carol"}) {
            assertThat(server.accounts().register(user, user + "-secret").ok()).isTrue();
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
}
