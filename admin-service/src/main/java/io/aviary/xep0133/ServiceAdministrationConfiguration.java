package io.aviary.xep0133;

import io.aviary.account.InvitationProperties;
import io.aviary.admin.AdminOperations;
import io.aviary.admin.AdminServiceConfiguration;
import io.aviary.admin.Administrators;
import io.aviary.admin.InvitationCommands;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.service.InvitationIssuer;
import io.aviary.xep0050.AdHocCommand;
import io.aviary.xep0050.AdHocCommands;
import io.aviary.xep0050.CommandItems;
import io.aviary.xep0050.CommandSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0050 ad-hoc commands with the XEP-0133 service administration commands at the domain, for the administrators of
 * {@code aviary.admins}; served by the admin service on {@link Topics#ADMIN}. Switched by
 * {@code aviary.capabilities.service-admin.enabled}. It also greets a resource that comes online with the message of
 * the day set by set-motd (where {@code presence.available} is emitted: the standalone app; see docs/architecture.md
 * for a cluster).
 */
@AutoConfiguration(after = AdminServiceConfiguration.class)
@ConditionalOnBean({StanzaBus.class, AdminOperations.class})
@ConditionalOnCapability("service-admin")
public class ServiceAdministrationConfiguration {

    /** Unfinished command sessions are forgotten after this long (XEP-0050 §4.3: the responder may time them out). */
    private static final Duration SESSION_LIFETIME = Duration.ofMinutes(10);

    @Bean
    public Capability serviceAdminCapability(AdminOperations operations, Administrators administrators,
                                             DomainBareJid domain, ObjectProvider<InvitationIssuer> invitations,
                                             ObjectProvider<InvitationProperties> invitationSettings) {
        Set<EntityBareJid> admins = administrators.jids();
        List<AdHocCommand> all = new ArrayList<>(new ServiceAdministration(operations).commands());
        InvitationIssuer issuer = invitations.getIfAvailable();
        InvitationProperties settings = invitationSettings.getIfAvailable();
        if (issuer != null && settings != null && settings.enabled()) {
            all.addAll(new InvitationCommands(issuer, settings.validity(), settings.usersMayRegisterInvitees())
                    .commands());
        }
        AdHocCommands commands = new AdHocCommands(all, admins::contains,
                requester -> requester.asDomainBareJid().equals(domain),
                new CommandSessions(Clock.systemUTC(), SESSION_LIFETIME, 1000));
        return Capability.of(Declaration.builder("service-admin")
                .summary("ad-hoc commands for the server's administrators")
                .complete("XEP-0050", "Ad-Hoc Commands", "1.3.0", "at the domain, for the administrators of "
                        + "`aviary.admins` (others: `forbidden`, no items); two stages: form, then completion")
                .partial("XEP-0133", "Service Administration", "1.3.0", "add, delete, disable and re-enable users, "
                        + "change a password, count and list online users, count registered users, end sessions, "
                        + "announce, set and delete the message of the day")
                .partial("XEP-0401", "Ad-hoc Account Invitation Generation", "0.6.0", "invite (any local user) and create-account "
                        + "(administrators) commands; invitees register with the token (XEP-0445) and become the "
                        + "inviter's contacts; no landing page")
                .iq(AdHocCommands.NAMESPACE).itemNode(AdHocCommands.NAMESPACE).topic(Topics.ADMIN)
                .emits(Events.ACCOUNT_REMOVED).listensTo(Events.PRESENCE_AVAILABLE).store("motd").build(), registrar -> {
                    operations.bindMotdStore(registrar.context().store("motd"));
                    registrar.iq(commands);
                    registrar.iq(new CommandItems(commands));
                    registrar.on(Events.PRESENCE_AVAILABLE,
                            resource -> operations.greetingFor(resource).ifPresent(registrar.context()::send));
                });
    }
}
