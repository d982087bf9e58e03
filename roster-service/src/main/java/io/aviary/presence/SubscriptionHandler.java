package io.aviary.presence;

import io.aviary.roster.RosterHandler;
import io.aviary.roster.RosterItem;
import io.aviary.roster.RosterProperties;
import io.aviary.roster.RosterPushes;
import io.aviary.roster.RosterStore;
import io.aviary.roster.SubscriptionState;
import io.aviary.service.Outbox;
import io.aviary.service.PresenceHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Presence subscriptions (RFC 6121 §3, Appendix A). A subscription stanza from a client's full JID
 * is outbound: the user's server updates the user's roster and forwards it stamped with the
 * user's bare JID. One from a bare JID has been through that step and is inbound: the contact's
 * server updates the contact's roster and delivers it to the contact's available resources, or
 * keeps it pending until the contact's next initial presence (§3.1.3).
 */
public final class SubscriptionHandler implements PresenceHandler {

    private static final Set<String> TYPES = Set.of("subscribe", "subscribed", "unsubscribe", "unsubscribed");

    private final DomainBareJid domain;
    private final RosterStore roster;
    private final RosterPushes pushes;
    private final Presences presences;
    private final Outbox outbox;
    private final RosterProperties limits;
    private final PreAuthenticatedSubscriptions preAuthenticated;

    public SubscriptionHandler(DomainBareJid domain, RosterStore roster, RosterPushes pushes, Presences presences,
                               Outbox outbox, RosterProperties limits, PreAuthenticatedSubscriptions preAuthenticated) {
        this.preAuthenticated = preAuthenticated;
        this.domain = domain;
        this.roster = roster;
        this.pushes = pushes;
        this.presences = presences;
        this.outbox = outbox;
        this.limits = limits;
    }

    @Override
    public void handlePresence(Stanza presence) {
        if (presence.type() == null || !TYPES.contains(presence.type())) {
            return;
        }
        Jid from;
        EntityBareJid to;
        try {
            from = presence.from();
            Jid target = presence.to();
            // §3.1.1: subscriptions are between bare JIDs, whatever resource the stanza names.
            to = target == null ? null : target.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return;
        }
        if (from == null || to == null || from.asBareJid().equals(to)) {
            return;
        }
        if (from.hasResource() && from.getDomain().equals(domain)) {
            outbound(presence, from.asEntityBareJidIfPossible(), to);
        } else if (to.getDomain().equals(domain)) {
            inbound(presence, to, from.asBareJid());
        }
    }

    private void outbound(Stanza presence, EntityBareJid user, EntityBareJid contactJid) {
        String contact = contactJid.toString();
        String type = presence.type();
        RosterStore.Update update = switch (type) {
            case "subscribe" -> change(user, contact, item -> Optional.of(
                    item.orElse(RosterItem.added(contact)).asListed().withState(state(item).outboundSubscribe())));
            case "subscribed" -> change(user, contact, item -> Optional.of(
                    item.orElse(RosterItem.added(contact)).asListed().withState(state(item).outboundSubscribed())));
            case "unsubscribe" -> change(user, contact, item -> item.map(i -> i.withState(i.state().loseTo())));
            default -> change(user, contact, item -> item.map(i -> i.withState(i.state().loseFrom())));
        };
        if (update.refused()) {
            outbox.send(presence.errorReply(StanzaErrorCondition.NOT_ALLOWED));
            return;
        }
        pushes.push(user, update);
        SubscriptionState before = state(update.before());
        SubscriptionState after = state(update.after());
        // §3.1.5 and §3.4: 'subscribed' is forwarded only when it answers a request; otherwise it
        // was a no-op or a pre-approval, which stays with the user's server.
        if (!type.equals("subscribed") || before.pendingIn()) {
            outbox.send(presence.element().withAttribute("from", user.toString()).withAttribute("to", contact));
        }
        if (!before.hasFrom() && after.hasFrom()) {
            presences.current(user, contact); // §3.1.5: the new subscriber gets the user's presence
        }
        // §3.2.2's unavailable presence to the former subscriber is sent by the inbound side, below,
        // which also covers the cancellations a roster remove sends from the bare JID.
    }

    private void inbound(Stanza presence, EntityBareJid account, BareJid contactJid) {
        String contact = contactJid.toString();
        String type = presence.type();
        if (type.equals("subscribe")) {
            preAuthenticated.beforeInboundSubscribe(presence, account, contact); // XEP-0379
        }
        RosterStore.Update update = switch (type) {
            case "subscribe" -> change(account, contact, item -> Optional.of(
                    item.orElse(RosterItem.unlisted(contact)).withState(state(item).inboundSubscribe())));
            case "subscribed" -> change(account, contact, item -> item.map(i -> i.withState(i.state().inboundSubscribed())));
            case "unsubscribe" -> change(account, contact, item -> item.map(i -> i.withState(i.state().loseFrom())));
            default -> change(account, contact, item -> item.map(i -> i.withState(i.state().loseTo())));
        };
        if (update.refused()) {
            return; // a full roster takes no new requests; the requester stays pending
        }
        pushes.push(account, update);
        SubscriptionState before = state(update.before());
        SubscriptionState after = state(update.after());
        if (type.equals("subscribe") && after.autoApproves()) {
            // A.2.1 "From"/"Both" rows and §3.4 pre-approval: the server answers for the contact.
            outbox.send(RosterHandler.subscriptionPresence(account.toString(), contact, "subscribed"));
            if (!before.hasFrom()) {
                presences.current(account, contact);
            }
            return;
        }
        XmlElement delivered = presence.element().withAttribute("from", contact);
        if (type.equals("subscribe") && after.pendingIn()) {
            // §3.1.3: kept whole (id, status, extensions) for the account's next logins until it is answered.
            roster.keepRequest(RosterHandler.accountOf(account), contact, delivered.toXml());
        }
        if (update.changed()) {
            presences.toAvailableResources(account, delivered);
        }
        if (before.hasFrom() && !after.hasFrom()) {
            presences.unavailable(account, contact); // §3.3.3: the former subscriber sees the account go
        }
        EntityBareJid contactAccount = contactJid.asEntityBareJidIfPossible();
        if (before.hasTo() && !after.hasTo() && contactAccount != null) {
            presences.unavailable(contactAccount, account.toString()); // §3.2.2: the account sees the contact go
        }
    }

    /** Applies a transition; an item left with nothing to remember is deleted. */
    private RosterStore.Update change(EntityBareJid account, String contact, UnaryOperator<Optional<RosterItem>> transition) {
        return roster.update(RosterHandler.accountOf(account), contact,
                item -> transition.apply(item).filter(i -> !i.forgettable()), limits.maxItems());
    }

    private static SubscriptionState state(Optional<RosterItem> item) {
        return item.map(RosterItem::state).orElse(SubscriptionState.NONE);
    }
}
