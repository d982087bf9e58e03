package io.aviary.admin;

import io.aviary.service.BusRequests;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An account's roster as an administrator sees and edits it: asked of the roster service over the bus
 * ({@link BusRequests}) with the account's own bare JID as the sender, the form in which the server acts for an
 * account. So the roster service makes the change in the account's lane, in order with the account's own requests,
 * and pushes it to the account's resources; removing a contact cancels the subscriptions both ways (RFC 6121 §2.5.2),
 * as when the user does it. Changes are audited.
 */
public final class UserRosters {

    static final String ROSTER = "jabber:iq:roster";

    /** One contact: its JID, name, subscription state ({@code none}, {@code to}, {@code from}, {@code both}), groups. */
    public record Contact(String jid, String name, String subscription, boolean pendingOut, boolean preApproved,
                          List<String> groups) {
    }

    private final AdminOperations operations;
    private final BusRequests requests;

    public UserRosters(AdminOperations operations, BusRequests requests) {
        this.operations = operations;
        this.requests = requests;
    }

    /** The listed contacts of the account {@code username} (which must exist). */
    public CompletableFuture<List<Contact>> roster(String username) {
        return requests.request(iq(username, "get", XmlElement.empty("query", ROSTER))).thenApply(result ->
                result.payload().stream().flatMap(XmlElement::elements).filter(e -> e.is("item", ROSTER))
                        .map(item -> new Contact(item.attributeOrNull("jid"), item.attributeOrNull("name"),
                                item.attributeOrNull("subscription"), "subscribe".equals(item.attributeOrNull("ask")),
                                "true".equals(item.attributeOrNull("approved")),
                                item.elements().filter(g -> g.is("group", ROSTER)).map(XmlElement::text).toList()))
                        .toList());
    }

    /** Adds {@code contact} to the roster or changes its name and groups (RFC 6121 §2.3, §2.4). */
    public CompletableFuture<Stanza> put(String actor, String username, String contact, String name,
                                         List<String> groups) {
        XmlElement.Builder item = XmlElement.builder("item", ROSTER).attribute("jid", contact)
                .attribute("name", name == null || name.isBlank() ? null : name);
        groups.forEach(group -> item.textChild("group", group));
        return audited(actor, "roster-set", username, contact, item.build());
    }

    /** Removes {@code contact} from the roster (RFC 6121 §2.5): item-not-found when it is not on it. */
    public CompletableFuture<Stanza> remove(String actor, String username, String contact) {
        return audited(actor, "roster-remove", username, contact, XmlElement.builder("item", ROSTER)
                .attribute("jid", contact).attribute("subscription", "remove").build());
    }

    private CompletableFuture<Stanza> audited(String actor, String action, String username, String contact,
                                              XmlElement item) {
        XmlElement set = XmlElement.builder("query", ROSTER).child(item).build();
        return operations.audited(actor, action, username + " " + contact, requests.request(iq(username, "set", set)));
    }

    private XmlElement iq(String username, String type, XmlElement query) {
        String account = username + "@" + operations.domain();
        return XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", type).attribute("from", account)
                .attribute("to", account).child(query).build();
    }
}
