package io.aviary.service;

import org.jxmpp.jid.EntityBareJid;

/**
 * Sends an account's presence to one address on the server's behalf, for capabilities that must
 * tell a contact about the account's availability (XEP-0191 on block and unblock). The presence
 * capability implements it from the last presence of each available resource.
 */
public interface PresenceSender {

    /** The current presence of each available resource of {@code account}, to {@code to}. */
    void current(EntityBareJid account, String to);

    /** Unavailable presence from each available resource of {@code account}, to {@code to}. */
    void unavailable(EntityBareJid account, String to);
}
