package io.aviary.service;

import org.jxmpp.jid.EntityBareJid;

/**
 * Invitations as the roster sees them (XEP-0379 Pre-Authenticated Roster Subscription): a token an account handed out
 * approves a subscription to that account. Implemented by the accounts' invitations (XEP-0401).
 */
public interface ContactInvitations {

    /** No invitations: every subscription waits for the account's answer. */
    ContactInvitations NONE = (token, inviter) -> false;

    /** Spends {@code token} if it is a valid invitation {@code inviter} made; whether it was. */
    boolean redeem(String token, EntityBareJid inviter);

    /** Drops every invitation {@code inviter} made: they go with its account, whose roster they would have joined. */
    default void forget(EntityBareJid inviter) {
    }
}
