package io.aviary.account;

import org.jxmpp.jid.EntityBareJid;

/**
 * Told when an account is removed (XEP-0077 cancellation), so each capability can drop the data it
 * keeps for it: the {@code user.deleted} event of style.md.
 */
public interface AccountListener {

    void accountDeleted(EntityBareJid account);
}
