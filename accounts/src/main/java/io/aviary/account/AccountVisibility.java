package io.aviary.account;

import io.aviary.service.IqAddress;
import io.aviary.service.SubscriptionLookup;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * Whether the server may answer for an account to a requester: the account exists and the
 * requester is the account itself or receives its presence (subscription {@code from} or
 * {@code both}). XEP-0030 ("Security Considerations") and XEP-0012 ("Offline User Query") make their account answers depend on this.
 */
public final class AccountVisibility {

    private final AccountStore accounts;
    private final Optional<SubscriptionLookup> subscriptions;

    public AccountVisibility(AccountStore accounts, Optional<SubscriptionLookup> subscriptions) {
        this.accounts = accounts;
        this.subscriptions = subscriptions;
    }

    public boolean exists(EntityBareJid account) {
        return account != null && accounts.exists(account.getLocalpart().toString());
    }

    /** The requester may see the addressed account's presence-level information. */
    public boolean allowed(IqAddress address) {
        if (!exists(address.account()) || address.requester() == null) {
            return false;
        }
        return address.toSelf()
                || subscriptions.map(s -> s.receivesPresence(address.account(), address.requester())).orElse(false);
    }
}
