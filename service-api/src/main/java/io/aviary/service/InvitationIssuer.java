package io.aviary.service;

import java.time.Duration;
import java.time.Instant;
import org.jxmpp.jid.EntityBareJid;

/**
 * Makes invitations (XEP-0401), for whatever hands them out (the ad-hoc commands, the admin API); implemented by the
 * accounts' invitations.
 */
public interface InvitationIssuer {

    /** A new invitation: its token (shown only here) and URI, and when it expires. */
    record Issued(String token, String uri, Instant expires) {
    }

    /** A contact invitation from {@code inviter}; {@code register}: it may also create an account here. */
    Issued invite(EntityBareJid inviter, boolean register, Duration validity);

    /** An account invitation, with a reserved {@code username} (or null) and an {@code inviter} to befriend (or null). */
    Issued createAccount(String username, EntityBareJid inviter, Duration validity);
}
