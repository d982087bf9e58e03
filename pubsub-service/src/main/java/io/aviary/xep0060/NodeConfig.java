package io.aviary.xep0060;

import java.util.List;

/**
 * A node's configuration (XEP-0060 §16.4.4, the fields this service honours).
 *
 * @param maxItems     how many items the node keeps; {@link #UNLIMITED} for {@code max}
 * @param sendLast     when the last item is sent unasked
 * @param rosterGroups {@code pubsub#roster_groups_allowed}: the owner's roster groups whose contacts the roster access
 *                     model admits; none configured admits every contact on the owner's roster. Sorted, distinct.
 */
public record NodeConfig(AccessModel accessModel, boolean persistItems, int maxItems, SendLastPublishedItem sendLast,
                         List<String> rosterGroups) {

    /** {@code pubsub#max_items} = {@code max} (XEP-0060 §12.9 since 1.15). */
    public static final int UNLIMITED = -1;

    /** PEP's default (XEP-0163 §4.3: presence access, the last item kept). */
    public static final NodeConfig PEP_DEFAULT = new NodeConfig(AccessModel.PRESENCE, true, 1);

    /** The default at pubsub.&lt;domain&gt;. */
    public static final NodeConfig SERVICE_DEFAULT = new NodeConfig(AccessModel.OPEN, true, 10);

    /** With {@code send_last_published_item} {@code on_sub_and_presence}, PEP's default (XEP-0163 §4.3.4). */
    public NodeConfig(AccessModel accessModel, boolean persistItems, int maxItems) {
        this(accessModel, persistItems, maxItems, SendLastPublishedItem.ON_SUB_AND_PRESENCE);
    }

    /** Without roster groups. */
    public NodeConfig(AccessModel accessModel, boolean persistItems, int maxItems, SendLastPublishedItem sendLast) {
        this(accessModel, persistItems, maxItems, sendLast, List.of());
    }

    public NodeConfig {
        if (sendLast == null) {
            throw new IllegalArgumentException("send_last_published_item");
        }
        if (accessModel == null) {
            throw new IllegalArgumentException("access model");
        }
        if (maxItems < UNLIMITED || maxItems == 0) {
            throw new IllegalArgumentException("max_items " + maxItems);
        }
        rosterGroups = rosterGroups == null ? List.of()
                : rosterGroups.stream().filter(group -> !group.isEmpty()).distinct().sorted().toList();
    }

    public NodeConfig withAccessModel(AccessModel model) {
        return new NodeConfig(model, persistItems, maxItems, sendLast, rosterGroups);
    }

    public NodeConfig withPersistItems(boolean persist) {
        return new NodeConfig(accessModel, persist, maxItems, sendLast, rosterGroups);
    }

    public NodeConfig withMaxItems(int max) {
        return new NodeConfig(accessModel, persistItems, max, sendLast, rosterGroups);
    }

    public NodeConfig withSendLast(SendLastPublishedItem when) {
        return new NodeConfig(accessModel, persistItems, maxItems, when, rosterGroups);
    }

    public NodeConfig withRosterGroups(List<String> groups) {
        return new NodeConfig(accessModel, persistItems, maxItems, sendLast, groups);
    }

    /** The form value of {@code pubsub#max_items}. */
    public String maxItemsValue() {
        return maxItems == UNLIMITED ? "max" : Integer.toString(maxItems);
    }
}
