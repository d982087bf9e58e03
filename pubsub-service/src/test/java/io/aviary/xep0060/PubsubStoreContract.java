package io.aviary.xep0060;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PubsubStore} does. */
public abstract class PubsubStoreContract {

    private static final String ALICE = "alice@example.org";
    private static final String AVATAR = "urn:xmpp:avatar:metadata";

    private PubsubStore store;

    protected abstract PubsubStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    private static PublishedItem item(String id, String payload) {
        return new PublishedItem(id, ALICE, payload, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private void createNode(String node, NodeConfig config) {
        assertThat(store.createNode(new PubsubNode(ALICE, node, ALICE, config))).isTrue();
    }

    @Test
    void createsANodeOnceAndListsTheServicesNodes() {
        createNode(AVATAR, NodeConfig.PEP_DEFAULT);
        assertThat(store.createNode(new PubsubNode(ALICE, AVATAR, ALICE, NodeConfig.SERVICE_DEFAULT))).isFalse();
        createNode("urn:xmpp:bookmarks:1", new NodeConfig(AccessModel.WHITELIST, true, NodeConfig.UNLIMITED));

        assertThat(store.node(ALICE, AVATAR)).contains(new PubsubNode(ALICE, AVATAR, ALICE, NodeConfig.PEP_DEFAULT));
        assertThat(store.nodes(ALICE)).extracting(PubsubNode::node)
                .containsExactly("urn:xmpp:avatar:metadata", "urn:xmpp:bookmarks:1");
        assertThat(store.node(ALICE, "urn:xmpp:bookmarks:1").orElseThrow().config().maxItems())
                .isEqualTo(NodeConfig.UNLIMITED);
        assertThat(store.nodes("bob@example.org")).isEmpty();
    }

    @Test
    void keepsTheNewestItemsUpToMaxItems() {
        createNode(AVATAR, NodeConfig.PEP_DEFAULT.withMaxItems(2));
        store.publish(ALICE, AVATAR, item("1", "<a xmlns='x'/>"), 2);
        store.publish(ALICE, AVATAR, item("2", "<b xmlns='x'/>"), 2);
        store.publish(ALICE, AVATAR, item("3", null), 2);

        assertThat(store.items(ALICE, AVATAR, -1)).extracting(PublishedItem::id).containsExactly("3", "2");
        assertThat(store.items(ALICE, AVATAR, 1)).extracting(PublishedItem::id).containsExactly("3");
        assertThat(store.items(ALICE, AVATAR, List.of("2", "1"))).containsExactly(item("2", "<b xmlns='x'/>"));
    }

    @Test
    void republishingAnIdReplacesItAndMakesItTheNewest() {
        createNode(AVATAR, NodeConfig.PEP_DEFAULT.withMaxItems(NodeConfig.UNLIMITED));
        store.publish(ALICE, AVATAR, item("a", "<one xmlns='x'/>"), NodeConfig.UNLIMITED);
        store.publish(ALICE, AVATAR, item("b", "<two xmlns='x'/>"), NodeConfig.UNLIMITED);
        store.publish(ALICE, AVATAR, item("a", "<three xmlns='x'/>"), NodeConfig.UNLIMITED);

        assertThat(store.items(ALICE, AVATAR, -1))
                .containsExactly(item("a", "<three xmlns='x'/>"), item("b", "<two xmlns='x'/>"));
    }

    @Test
    void retractsPurgesAndTrimsOnReconfiguration() {
        createNode(AVATAR, NodeConfig.PEP_DEFAULT.withMaxItems(NodeConfig.UNLIMITED));
        for (String id : List.of("1", "2", "3")) {
            store.publish(ALICE, AVATAR, item(id, null), NodeConfig.UNLIMITED);
        }
        assertThat(store.retract(ALICE, AVATAR, "2")).isTrue();
        assertThat(store.retract(ALICE, AVATAR, "2")).isFalse();

        NodeConfig whitelist = new NodeConfig(AccessModel.WHITELIST, false, 1);
        store.configure(ALICE, AVATAR, whitelist);
        assertThat(store.node(ALICE, AVATAR).orElseThrow().config()).isEqualTo(whitelist);
        assertThat(store.items(ALICE, AVATAR, -1)).extracting(PublishedItem::id).containsExactly("3");

        store.purge(ALICE, AVATAR);
        assertThat(store.items(ALICE, AVATAR, -1)).isEmpty();
    }

    @Test
    void keepsTheRosterGroupsANodeAllows() {
        NodeConfig friends = new NodeConfig(AccessModel.ROSTER, true, 5, SendLastPublishedItem.ON_SUB,
                List.of("Friends", "Family", "Friends"));
        createNode("plans", friends);
        assertThat(store.node(ALICE, "plans").orElseThrow().config().rosterGroups())
                .containsExactly("Family", "Friends");
        store.configure(ALICE, "plans", friends.withRosterGroups(List.of()));
        assertThat(store.node(ALICE, "plans").orElseThrow().config()).isEqualTo(
                new NodeConfig(AccessModel.ROSTER, true, 5, SendLastPublishedItem.ON_SUB));
    }

    @Test
    void keepsAffiliationsAndSubscriptions() {
        createNode("news", NodeConfig.SERVICE_DEFAULT);
        store.affiliate(ALICE, "news", "bob@example.org", Affiliation.MEMBER);
        store.affiliate(ALICE, "news", "eve@example.org", Affiliation.OUTCAST);
        store.affiliate(ALICE, "news", "eve@example.org", Affiliation.NONE);
        store.subscribe(ALICE, Subscription.of("news", "bob@example.org/phone", SubscriptionState.SUBSCRIBED));
        store.subscribe(ALICE, Subscription.of("news", "carol@example.org", SubscriptionState.SUBSCRIBED));
        assertThat(store.unsubscribe(ALICE, "news", "carol@example.org")).isTrue();
        assertThat(store.unsubscribe(ALICE, "news", "carol@example.org")).isFalse();

        assertThat(store.affiliations(ALICE, "news")).isEqualTo(Map.of("bob@example.org", Affiliation.MEMBER));
        assertThat(store.subscribers(ALICE, "news")).containsExactly("bob@example.org/phone");
    }

    @Test
    void keepsSubscriptionStatesAndOptionsAndFindsAnEntitysOwn() {
        createNode("news", NodeConfig.SERVICE_DEFAULT);
        createNode("sports", NodeConfig.SERVICE_DEFAULT);
        store.affiliate(ALICE, "sports", "bob@example.org", Affiliation.PUBLISHER);
        store.subscribe(ALICE, Subscription.of("news", "bob@example.org", SubscriptionState.PENDING));
        store.subscribe(ALICE, Subscription.of("sports", "bob@example.org/phone", SubscriptionState.SUBSCRIBED)
                .withDeliver(false));
        store.subscribe(ALICE, Subscription.of("sports", "bob@example.org/desk", SubscriptionState.SUBSCRIBED));
        // A JID whose localpart holds LIKE's wildcards matches only itself.
        store.subscribe(ALICE, Subscription.of("sports", "b_b@example.org", SubscriptionState.SUBSCRIBED));
        store.subscribe(ALICE, Subscription.of("news", "bobby@example.org", SubscriptionState.SUBSCRIBED));

        // Neither pending nor non-delivering subscriptions receive events.
        assertThat(store.subscribers(ALICE, "news")).containsExactly("bobby@example.org");
        assertThat(store.subscribers(ALICE, "sports")).containsExactly("b_b@example.org", "bob@example.org/desk");
        assertThat(store.subscriptionsOf(ALICE, "bob@example.org")).containsExactly(
                Subscription.of("news", "bob@example.org", SubscriptionState.PENDING),
                Subscription.of("sports", "bob@example.org/desk", SubscriptionState.SUBSCRIBED),
                new Subscription("sports", "bob@example.org/phone", SubscriptionState.SUBSCRIBED, false));
        assertThat(store.subscriptionsOf(ALICE, "b_b@example.org")).extracting(Subscription::jid)
                .containsExactly("b_b@example.org");
        assertThat(store.affiliationsOf(ALICE, "bob@example.org")).isEqualTo(Map.of("sports", Affiliation.PUBLISHER));

        // Approval replaces the pending subscription.
        store.subscribe(ALICE, Subscription.of("news", "bob@example.org", SubscriptionState.SUBSCRIBED));
        assertThat(store.subscriptions(ALICE, "news")).containsExactly(
                Subscription.of("news", "bob@example.org", SubscriptionState.SUBSCRIBED),
                Subscription.of("news", "bobby@example.org", SubscriptionState.SUBSCRIBED));
    }

    @Test
    void findsTheServicesThatNameAJidByAffiliationOrSubscription() {
        createNode("news", NodeConfig.SERVICE_DEFAULT);
        String carol = "carol@example.org";
        store.createNode(new PubsubNode(carol, "diary", carol, NodeConfig.PEP_DEFAULT));
        store.createNode(new PubsubNode("pubsub.example.org", "events", "dave@example.org", NodeConfig.SERVICE_DEFAULT));
        store.affiliate(ALICE, "news", "bob@example.org", Affiliation.MEMBER);
        store.subscribe(carol, Subscription.of("diary", "bob@example.org/phone", SubscriptionState.SUBSCRIBED));
        store.subscribe("pubsub.example.org", Subscription.of("events", "bob@example.org", SubscriptionState.PENDING));
        // Only itself for a JID with LIKE's wildcards, and no one else's whose JID starts alike.
        store.affiliate(carol, "diary", "b_b@example.org", Affiliation.PUBLISHER);
        store.subscribe(ALICE, Subscription.of("news", "bobby@example.org", SubscriptionState.SUBSCRIBED));

        assertThat(store.servicesNaming("bob@example.org"))
                .containsExactlyInAnyOrder(ALICE, carol, "pubsub.example.org");
        assertThat(store.servicesNaming("b_b@example.org")).containsExactly(carol);
        assertThat(store.servicesNaming("eve@example.org")).isEmpty();

        store.affiliate(ALICE, "news", "bob@example.org", Affiliation.NONE);
        store.unsubscribe(carol, "diary", "bob@example.org/phone");
        assertThat(store.servicesNaming("bob@example.org")).containsExactly("pubsub.example.org");
    }

    @Test
    void deletingANodeOrTheServiceDropsEverythingInIt() {
        createNode(AVATAR, NodeConfig.PEP_DEFAULT);
        createNode("other", NodeConfig.PEP_DEFAULT);
        store.publish(ALICE, AVATAR, item("1", null), 1);
        store.subscribe(ALICE, Subscription.of(AVATAR, "bob@example.org", SubscriptionState.SUBSCRIBED));
        store.createNode(new PubsubNode("bob@example.org", AVATAR, "bob@example.org", NodeConfig.PEP_DEFAULT));

        assertThat(store.deleteNode(ALICE, AVATAR)).isTrue();
        assertThat(store.deleteNode(ALICE, AVATAR)).isFalse();
        assertThat(store.node(ALICE, AVATAR)).isEmpty();
        assertThat(store.items(ALICE, AVATAR, -1)).isEmpty();
        assertThat(store.subscribers(ALICE, AVATAR)).isEmpty();

        store.removeService(ALICE);
        assertThat(store.nodes(ALICE)).isEmpty();
        assertThat(store.nodes("bob@example.org")).hasSize(1);
    }
}
