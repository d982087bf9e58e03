package io.aviary.roster;

import io.aviary.service.IqHandler;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Roster get, set and remove (RFC 6121 §2.1-§2.5) with versioning (XEP-0237) and the limits of
 * {@link RosterProperties}. Every change is pushed to the account's interested resources.
 */
public final class RosterHandler implements IqHandler {

    private final RosterStore store;
    private final RosterPushes pushes;
    private final Outbox outbox;
    private final RosterProperties limits;

    public RosterHandler(RosterStore store, RosterPushes pushes, Outbox outbox, RosterProperties limits) {
        this.store = store;
        this.pushes = pushes;
        this.outbox = outbox;
        this.limits = limits;
    }

    @Override
    public String namespace() {
        return RosterItem.NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        EntityBareJid account;
        EntityFullJid requester;
        try {
            Jid from = iq.from();
            Jid to = iq.to();
            account = from == null ? null : from.asEntityBareJidIfPossible();
            requester = from == null ? null : from.asEntityFullJidIfPossible();
            // The account's bare JID asks only when the server acts for the account (the admin API): a client's
            // stanzas always carry its full JID, which its gateway stamps (RFC 6120 §8.1.2.1).
            // §2.1.3, §2.3.3: a roster belongs to its account; a request aimed at anyone else's is forbidden.
            if (account == null || (to != null && !to.equals(account))) {
                return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
            }
        } catch (XmppStringprepException e) {
            return iq.errorReply(StanzaErrorCondition.JID_MALFORMED);
        }
        XmlElement query = iq.payload().orElseThrow();
        return "get".equals(iq.type()) ? get(iq, query, account, requester) : set(iq, query, account);
    }

    /** @param requester the resource that asked, which is interested in pushes from now on; null for the server */
    private Stanza get(Stanza iq, XmlElement query, EntityBareJid account, EntityFullJid requester) {
        if (requester != null) {
            pushes.interested(requester);
        }
        RosterStore.Roster roster = store.roster(accountOf(account));
        String version = Long.toString(roster.version());
        if (version.equals(query.attributeOrNull("ver"))) {
            // RFC 6121 §2.6.3 (XEP-0237): unchanged since the client's version: an empty result; pushes follow.
            return iq.iqResult(null);
        }
        XmlElement.Builder result = XmlElement.builder("query", RosterItem.NAMESPACE).attribute("ver", version);
        roster.items().stream().filter(RosterItem::listed).forEach(item -> result.child(item.toElement()));
        return iq.iqResult(result.build());
    }

    private Stanza set(Stanza iq, XmlElement query, EntityBareJid account) {
        List<XmlElement> items = query.elements().toList();
        // §2.3.3: exactly one item per roster set.
        if (items.size() != 1 || !items.get(0).is("item", RosterItem.NAMESPACE)) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        XmlElement item = items.get(0);
        String contact;
        try {
            Jid jid = JidCreate.from(item.attributeOrNull("jid") == null ? "" : item.attributeOrNull("jid"));
            if (jid.hasResource() || jid.equals(account)) {
                return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
            }
            contact = jid.toString();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return iq.errorReply(StanzaErrorCondition.JID_MALFORMED);
        }
        if ("remove".equals(item.attributeOrNull("subscription"))) {
            return remove(account, contact) ? iq.iqResult(null) : iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        StanzaErrorCondition invalid = check(item);
        if (invalid != null) {
            return iq.errorReply(invalid);
        }
        String name = item.attributeOrNull("name");
        List<String> groups = groups(item);
        // 'subscription' (other than remove) and 'ask' are the server's to set (§2.1.2.2, §2.1.2.5): ignored.
        RosterStore.Update update = store.update(accountOf(account), contact,
                current -> Optional.of(current.orElse(RosterItem.added(contact)).listedWith(
                        name == null || name.isEmpty() ? null : name, groups)),
                limits.maxItems());
        if (update.refused()) {
            return iq.errorReply(StanzaErrorCondition.NOT_ALLOWED);
        }
        pushes.push(account, update);
        return iq.iqResult(null);
    }

    /** §2.3.3 (name and group limits, empty or duplicate groups). */
    private StanzaErrorCondition check(XmlElement item) {
        String name = item.attributeOrNull("name");
        if (name != null && name.length() > limits.maxNameLength()) {
            return StanzaErrorCondition.NOT_ACCEPTABLE;
        }
        List<String> groups = groups(item);
        if (groups.stream().anyMatch(group -> group.isEmpty() || group.length() > limits.maxGroupLength())) {
            return StanzaErrorCondition.NOT_ACCEPTABLE;
        }
        if (new HashSet<>(groups).size() != groups.size()) {
            return StanzaErrorCondition.BAD_REQUEST;
        }
        return groups.size() > limits.maxGroups() ? StanzaErrorCondition.NOT_ACCEPTABLE : null;
    }

    /** §2.5.2: removes a listed item and cancels its subscriptions; false when there was none. */
    private boolean remove(EntityBareJid account, String contact) {
        if (store.item(accountOf(account), contact).filter(RosterItem::listed).isEmpty()) {
            return false;
        }
        RosterStore.Update update = store.update(accountOf(account), contact, current -> Optional.empty(), limits.maxItems());
        update.before().ifPresent(item -> cancellations(account, item).forEach(outbox::send));
        pushes.push(account, update);
        return true;
    }

    /**
     * §2.5.2: removing an item cancels the subscriptions both ways: {@code unsubscribe} if the
     * account sees (or asked to see) the contact, {@code unsubscribed} if the contact sees (or asked
     * to see) the account.
     */
    static List<XmlElement> cancellations(EntityBareJid account, RosterItem item) {
        SubscriptionState state = item.state();
        List<XmlElement> stanzas = new ArrayList<>();
        if (state.hasTo() || state.pendingOut()) {
            stanzas.add(subscriptionPresence(account.toString(), item.contact(), "unsubscribe"));
        }
        if (state.hasFrom() || state.pendingIn()) {
            stanzas.add(subscriptionPresence(account.toString(), item.contact(), "unsubscribed"));
        }
        return stanzas;
    }

    private static List<String> groups(XmlElement item) {
        return item.elements().filter(e -> e.is("group", RosterItem.NAMESPACE)).map(XmlElement::text).toList();
    }

    /**
     * A subscription stanza on the account's behalf, from its bare JID: the form the contact's
     * server expects after the user's server processed it (RFC 6121 §3.1.2 "stamp ... bare JID").
     */
    public static XmlElement subscriptionPresence(String from, String to, String type) {
        return XmlElement.builder("presence", "jabber:client")
                .attribute("from", from).attribute("to", to).attribute("type", type).build();
    }

    public static String accountOf(EntityBareJid jid) {
        return jid.getLocalpart().toString();
    }
}
