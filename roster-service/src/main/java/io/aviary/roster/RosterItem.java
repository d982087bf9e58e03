package io.aviary.roster;

import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Objects;

/**
 * One contact of an account's roster (RFC 6121 §2.1.2).
 *
 * @param contact the contact's bare JID, normalised
 * @param name    the user's nickname for the contact, or null
 * @param groups  the groups the item is filed in, without duplicates, in the user's order
 * @param state   the presence subscription with the contact
 * @param listed  whether the item is part of the roster the user sees. An inbound request alone
 *                creates an unlisted item: the server keeps the pending request (RFC 6121 §3.1.3)
 *                but the contact joins the roster only when the user approves it (§3.1.5) or adds it
 */
public record RosterItem(String contact, String name, List<String> groups, SubscriptionState state, boolean listed) {

    public static final String NAMESPACE = "jabber:iq:roster";

    public RosterItem {
        Objects.requireNonNull(contact, "contact");
        groups = List.copyOf(groups);
        Objects.requireNonNull(state, "state");
    }

    /** A listed item with no subscription, for a contact the user has just added. */
    public static RosterItem added(String contact) {
        return new RosterItem(contact, null, List.of(), SubscriptionState.NONE, true);
    }

    /** An unlisted item that only remembers the state, created by an inbound subscription request. */
    public static RosterItem unlisted(String contact) {
        return new RosterItem(contact, null, List.of(), SubscriptionState.NONE, false);
    }

    public RosterItem withState(SubscriptionState newState) {
        return new RosterItem(contact, name, groups, newState, listed);
    }

    public RosterItem listedWith(String newName, List<String> newGroups) {
        return new RosterItem(contact, newName, newGroups, state, true);
    }

    public RosterItem asListed() {
        return new RosterItem(contact, name, groups, state, true);
    }

    /** Nothing worth keeping: unlisted and no subscription state. */
    public boolean forgettable() {
        return !listed && state.isEmpty();
    }

    /** The {@code <item/>} of roster results and pushes; {@code ask} and {@code approved} per §2.1.2.2 and §3.4. */
    public XmlElement toElement() {
        XmlElement.Builder item = XmlElement.builder("item", NAMESPACE)
                .attribute("jid", contact)
                .attribute("name", name)
                .attribute("subscription", state.subscription().value())
                .attribute("ask", state.pendingOut() ? "subscribe" : null)
                .attribute("approved", state.preApproved() ? "true" : null);
        groups.forEach(group -> item.textChild("group", group));
        return item.build();
    }

    /** The {@code <item subscription='remove'/>} pushed when an item leaves the roster (§2.5.2). */
    public static XmlElement removal(String contact) {
        return XmlElement.builder("item", NAMESPACE).attribute("jid", contact).attribute("subscription", "remove").build();
    }
}
