package io.aviary.roster;

import io.aviary.service.SubscriptionLookup;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/** {@link SubscriptionLookup} from the roster: the account itself, or a contact with subscription from or both. */
public final class RosterSubscriptions implements SubscriptionLookup {

    private final RosterStore store;

    public RosterSubscriptions(RosterStore store) {
        this.store = store;
    }

    @Override
    public boolean receivesPresence(EntityBareJid account, BareJid contact) {
        return account.equals(contact) || store.item(RosterHandler.accountOf(account), contact.toString())
                .map(item -> item.state().hasFrom()).orElse(false);
    }
}
