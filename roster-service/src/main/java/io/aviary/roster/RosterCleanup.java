package io.aviary.roster;

import io.aviary.service.Outbox;
import java.util.function.BiConsumer;
import org.jxmpp.jid.EntityBareJid;

/**
 * The roster's part of {@code user.deleted}: contacts learn that the subscriptions are gone
 * (XEP-0077 §3.2 asks the server to send them {@code unsubscribe} and {@code unsubscribed}, as a
 * roster remove would, RFC 6121 §2.5.2), then the roster is deleted. Subscribers first get
 * unavailable presence from the account's available resources (RFC 6121 §3.2.2), sent here while
 * those resources are still known: the sessions end only after the account is gone.
 */
public final class RosterCleanup {

    private final RosterStore store;
    private final Outbox outbox;
    private final BiConsumer<EntityBareJid, String> sendUnavailable;

    /** @param sendUnavailable sends unavailable presence from the account's available resources to a contact */
    public RosterCleanup(RosterStore store, Outbox outbox, BiConsumer<EntityBareJid, String> sendUnavailable) {
        this.store = store;
        this.outbox = outbox;
        this.sendUnavailable = sendUnavailable;
    }

    public void accountDeleted(EntityBareJid account) {
        String username = RosterHandler.accountOf(account);
        for (RosterItem item : store.roster(username).items()) {
            if (item.state().hasFrom()) {
                sendUnavailable.accept(account, item.contact());
            }
            RosterHandler.cancellations(account, item).forEach(outbox::send);
        }
        store.deleteAll(username);
    }
}
