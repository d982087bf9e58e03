package io.aviary.presence;

import io.aviary.capability.Events;
import io.aviary.roster.RosterHandler;
import io.aviary.roster.RosterItem;
import io.aviary.roster.RosterProperties;
import io.aviary.roster.RosterPushes;
import io.aviary.roster.RosterStore;
import io.aviary.roster.SubscriptionState;
import io.aviary.service.ContactInvitations;
import io.aviary.service.Outbox;
import io.aviary.xmpp.stanza.Stanza;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * Subscriptions an invitation approved in advance (XEP-0379 Pre-Authenticated Roster Subscription, XEP-0401), part of
 * RFC 6121 subscription processing here; the invitations themselves are the accounts' ({@link ContactInvitations}):
 * <ul>
 * <li>a {@code subscribe} to the inviter that carries the invitation's token ({@code <preauth xmlns='urn:xmpp:pars:0'
 *     token/>}) is approved for the inviter (as the inviter's pre-approval would, RFC 6121 §3.4), and the inviter asks
 *     for the invitee's presence in return, so both see each other; the token is spent;</li>
 * <li>an account registered with an invitation that names an inviter ({@link Events#INVITATION_ACCEPTED}) and the
 *     inviter become mutual contacts at once, with roster pushes to the inviter's resources (XEP-0401
 *     §"Pre-Authenticated In-Band Registration").</li>
 * </ul>
 */
public final class PreAuthenticatedSubscriptions {

    public static final String NAMESPACE = "urn:xmpp:pars:0";

    private final ContactInvitations invitations;
    private final RosterStore roster;
    private final RosterPushes pushes;
    private final Outbox outbox;
    private final RosterProperties limits;

    public PreAuthenticatedSubscriptions(ContactInvitations invitations, RosterStore roster, RosterPushes pushes,
                                         Outbox outbox, RosterProperties limits) {
        this.invitations = invitations;
        this.roster = roster;
        this.pushes = pushes;
        this.outbox = outbox;
        this.limits = limits;
    }

    /**
     * For an inbound {@code subscribe} from {@code contact} to {@code account}: when it carries a valid token of an
     * invitation {@code account} made, approves it in advance and asks back. Called before the subscription is
     * processed, which then grants it.
     */
    public void beforeInboundSubscribe(Stanza subscribe, EntityBareJid account, String contact) {
        String token = subscribe.element().child("preauth", NAMESPACE).map(p -> p.attributeOrNull("token")).orElse(null);
        if (token == null || !invitations.redeem(token, account)) {
            return; // an ordinary request: the account decides
        }
        RosterStore.Update approved = roster.update(RosterHandler.accountOf(account), contact, item -> Optional.of(
                item.orElse(RosterItem.added(contact)).asListed()
                        .withState(state(item).outboundSubscribed().outboundSubscribe())), limits.maxItems());
        if (approved.refused()) {
            return;
        }
        pushes.push(account, approved);
        outbox.send(RosterHandler.subscriptionPresence(account.toString(), contact, "subscribe"));
    }

    /** The invitee and the inviter see each other from now on. */
    public void accepted(Events.Invited invited) {
        befriend(invited.inviter(), invited.invitee());
        befriend(invited.invitee(), invited.inviter());
    }

    private void befriend(EntityBareJid account, EntityBareJid contact) {
        SubscriptionState both = new SubscriptionState(SubscriptionState.Subscription.BOTH, false, false, false);
        RosterStore.Update update = roster.update(RosterHandler.accountOf(account), contact.toString(),
                item -> Optional.of(item.orElse(RosterItem.added(contact.toString())).asListed().withState(both)),
                limits.maxItems());
        if (!update.refused()) {
            pushes.push(account, update);
        }
    }

    private static SubscriptionState state(Optional<RosterItem> item) {
        return item.map(RosterItem::state).orElse(SubscriptionState.NONE);
    }
}
