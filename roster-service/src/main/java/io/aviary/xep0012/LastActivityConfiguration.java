package io.aviary.xep0012;

import io.aviary.account.AccountVisibility;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.session.SessionRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/** XEP-0012 Last Activity, switched by {@code aviary.capabilities.last.enabled}. */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("last")
public class LastActivityConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public LastActivityStore lastActivityStore(DataSource dataSource) {
        return new JdbcLastActivityStore(dataSource);
    }

    @Bean
    public Capability lastActivityCapability(DomainBareJid domain, LastActivityStore store, SessionRegistry sessions,
                                             AccountVisibility visibility) {
        LastActivity last = new LastActivity(domain, store, sessions, visibility, Clock.systemUTC());
        return Capability.of(Declaration.builder("last")
                .summary("the server's uptime and when a contact was last seen")
                .complete("XEP-0012", "Last Activity", "2.0",
                        "server uptime; an account's last logout and status, for itself and subscribed contacts")
                .iq(LastActivity.NAMESPACE).accountFeature(LastActivity.NAMESPACE)
                .listensTo(Events.PRESENCE_UNAVAILABLE).listensTo(Events.ACCOUNT_REMOVED).store("last-activity")
                .build(), registrar -> {
                    registrar.iq(last);
                    registrar.on(Events.PRESENCE_UNAVAILABLE, e -> last.resourceUnavailable(e.resource(), e.presence()));
                    registrar.on(Events.ACCOUNT_REMOVED, last::accountDeleted);
                });
    }
}
