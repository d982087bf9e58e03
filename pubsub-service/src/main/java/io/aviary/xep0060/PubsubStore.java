package io.aviary.xep0060;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Nodes, items, affiliations and subscriptions of publish-subscribe services: every account's PEP service and
 * {@code pubsub.<domain>}. Changes to one service are applied one at a time (the bus key is the service's owner), so
 * the store needs no compare-and-set.
 */
public interface PubsubStore {

    /** Creates a node; false when it exists. */
    boolean createNode(PubsubNode node);

    Optional<PubsubNode> node(String service, String node);

    /** The service's nodes, by name. */
    List<PubsubNode> nodes(String service);

    /** Replaces a node's configuration, then trims its items to the new {@code max_items}. */
    void configure(String service, String node, NodeConfig config);

    /** Deletes a node with its items, affiliations and subscriptions; false when there was none. */
    boolean deleteNode(String service, String node);

    /**
     * Stores an item (replacing one with the same id, which becomes the newest) and drops the oldest beyond
     * {@code maxItems} ({@link NodeConfig#UNLIMITED} for none).
     */
    void publish(String service, String node, PublishedItem item, int maxItems);

    /** The newest {@code max} items (all for a negative max), newest first. */
    List<PublishedItem> items(String service, String node, int max);

    /** The items with these ids that exist, in the order asked. */
    List<PublishedItem> items(String service, String node, List<String> ids);

    /** Removes an item; false when there was none. */
    boolean retract(String service, String node, String itemId);

    /** Removes all items of a node. */
    void purge(String service, String node);

    /** Sets an affiliation; {@link Affiliation#NONE} removes it. */
    void affiliate(String service, String node, String jid, Affiliation affiliation);

    /** Affiliations by bare JID. */
    Map<String, Affiliation> affiliations(String service, String node);

    /** Affiliations of one bare JID at the service, by node. */
    Map<String, Affiliation> affiliationsOf(String service, String jid);

    /** Sets a JID's subscription to a node (the JID full or bare, as it asked), replacing the one it had. */
    void subscribe(String service, Subscription subscription);

    /** Removes a JID's subscription to a node, pending or not; false when there was none. */
    boolean unsubscribe(String service, String node, String jid);

    /** A node's subscriptions, pending ones included, by JID. */
    List<Subscription> subscriptions(String service, String node);

    /** The subscriptions of one entity at the service (its bare JID and each of its full JIDs), by node and JID. */
    List<Subscription> subscriptionsOf(String service, String bareJid);

    /** The JIDs a node's events go to: those {@link Subscription#receivesEvents() receiving} them, by JID. */
    default List<String> subscribers(String service, String node) {
        return subscriptions(service, node).stream().filter(Subscription::receivesEvents).map(Subscription::jid)
                .toList();
    }

    /**
     * The services at which {@code bareJid}, or one of its full JIDs, has an affiliation or a subscription: where its
     * account's removal has something to take away. Rarely asked, so it may read every service's rows.
     */
    List<String> servicesNaming(String bareJid);

    /** Removes the service (an account's PEP) with everything in it: the account was removed. */
    void removeService(String service);
}
