package io.aviary.xep0401;

import java.time.Instant;
import java.util.Objects;
import org.jxmpp.jid.EntityBareJid;

/**
 * An invitation (XEP-0401 Easy User Onboarding): a secret token that lets its holder register an account without open
 * registration (XEP-0445) and, when it names an inviter, become the inviter's mutual contact at once (XEP-0379). The
 * store keeps only the token's hash.
 *
 * @param tokenHash the SHA-256 of the token, hex
 * @param inviter   who invited (the invitee and they become mutual contacts), or null (an operator's account invitation)
 * @param username  the localpart reserved for the invitee, or null (the invitee chooses)
 * @param register  whether the token may create an account (XEP-0445); a contact invitation without it only
 *                  pre-approves a subscription from an existing account
 * @param expires   when it stops being accepted
 */
public record Invitation(String tokenHash, EntityBareJid inviter, String username, boolean register, Instant expires) {

    public Invitation {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(expires, "expires");
        if (inviter == null && !register) {
            throw new IllegalArgumentException("an invitation without an inviter can only create an account");
        }
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expires);
    }
}
