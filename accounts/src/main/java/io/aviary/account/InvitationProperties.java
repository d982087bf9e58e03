package io.aviary.account;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Invitations (XEP-0401), under {@code aviary.invitations}.
 *
 * @param enabled                  {@code aviary.invitations.enabled}: invitations at all (default true)
 * @param validity                 {@code aviary.invitations.validity}: how long an invitation is accepted (default 7d)
 * @param usersMayRegisterInvitees {@code aviary.invitations.users-may-register-invitees}: whether a user's contact
 *                                 invitation may also create an account here ({@code ibr=y}; default true, as
 *                                 Prosody's {@code allow_user_invites})
 */
@ConfigurationProperties("aviary.invitations")
public record InvitationProperties(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("7d") Duration validity,
                                   @DefaultValue("true") boolean usersMayRegisterInvitees) {
}
