package io.aviary.xep0077;

import io.aviary.account.Accounts;
import io.aviary.account.InBandRegistration;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.session.SessionRegistry;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0077 account management after login (password change, cancellation), switched by
 * {@code aviary.capabilities.register.enabled}. Registration before login is the gateway's
 * ({@code aviary.gateway.registration-open}).
 */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("register")
@EnableConfigurationProperties(RegistrationProperties.class)
public class RegistrationConfiguration {

    @Bean
    public Capability registrationCapability(DomainBareJid domain, Accounts accounts, EventSink events,
                                             SessionRegistry sessions, StanzaBus bus, RegistrationProperties properties) {
        AccountRegistrationHandler handler = new AccountRegistrationHandler(domain, accounts, events, sessions, bus,
                properties);
        return Capability.of(Declaration.builder("register")
                .summary("in-band registration, password change and account cancellation")
                .partial("XEP-0077", "In-Band Registration", "2.4", "registration before login (when "
                        + "`registration-open`), password change, account removal (every capability drops the account's "
                        + "data, contacts unsubscribed, sessions ended; the name is not registered in band again while "
                        + "its tombstone lasts); no data forms")
                .iq(InBandRegistration.NAMESPACE).emits(Events.ACCOUNT_REMOVED)
                .build(), registrar -> registrar.iq(handler));
    }
}
