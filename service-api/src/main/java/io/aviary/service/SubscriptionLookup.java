package io.aviary.service;

import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Whether a contact may see an account's presence: its roster item for the contact has
 * subscription {@code from} or {@code both} (RFC 6121 §2.1.2.1). Capabilities that answer on an
 * account's behalf only to such contacts (XEP-0012 last activity, XEP-0030 disco of an account)
 * ask this; the roster capability implements it. Without an implementation only the account
 * itself counts as allowed.
 */
public interface SubscriptionLookup {

    boolean receivesPresence(EntityBareJid account, BareJid contact);
}
