package io.aviary.roster;

import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.presence.InMemoryPresenceStore;
import io.aviary.presence.PreAuthenticatedSubscriptions;
import io.aviary.presence.PresenceBroadcaster;
import io.aviary.presence.PresenceStore;
import io.aviary.presence.Presences;
import io.aviary.presence.SubscriptionHandler;
import io.aviary.service.ContactInvitations;
import io.aviary.service.Outbox;
import io.aviary.service.PresenceDecorator;
import io.aviary.service.PresenceSender;
import io.aviary.service.SubscriptionLookup;
import io.aviary.xmpp.xml.XmlElement;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * RFC 6121 instant messaging and presence, switched by {@code aviary.capabilities.roster.enabled}: the roster
 * (with versioning, RFC 6121 §2.6), subscriptions with pre-approval (§3.4), presence broadcast and probes (the
 * {@code io.aviary.presence} package belongs to this capability). Its {@link RosterSubscriptions} and
 * {@link Presences} are the {@code SubscriptionLookup} and {@code PresenceSender} other capabilities may use.
 */
@AutoConfiguration
@ConditionalOnBean(StanzaBus.class)
@ConditionalOnCapability("roster")
@EnableConfigurationProperties(RosterProperties.class)
public class RosterConfiguration {

    static final String ROSTER_VERSIONING = "urn:xmpp:features:rosterver";
    static final String PRE_APPROVAL = "urn:xmpp:features:pre-approval";

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public RosterStore rosterStore(DataSource dataSource) {
        return new JdbcRosterStore(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    public PresenceStore presenceStore() {
        return new InMemoryPresenceStore();
    }

    @Bean
    @ConditionalOnMissingBean
    public RosterInterest rosterInterest() {
        return new InMemoryRosterInterest();
    }

    @Bean
    public RosterSubscriptions rosterSubscriptions(RosterStore store) {
        return new RosterSubscriptions(store);
    }

    @Bean
    public Presences presences(PresenceStore store, Outbox outbox) {
        return new Presences(store, outbox);
    }

    @Bean
    public Capability rosterCapability(DomainBareJid domain, RosterStore store, RosterInterest interest,
                                       Presences presences, Outbox outbox, RosterProperties limits, EventSink events,
                                       ObjectProvider<ContactInvitations> invitations,
                                       ObjectProvider<PresenceDecorator> decorators) {
        RosterPushes pushes = new RosterPushes(outbox, interest);
        ContactInvitations contactInvitations = invitations.getIfAvailable(() -> ContactInvitations.NONE);
        PreAuthenticatedSubscriptions preAuthenticated = new PreAuthenticatedSubscriptions(contactInvitations, store,
                pushes, outbox, limits);
        RosterHandler roster = new RosterHandler(store, pushes, outbox, limits);
        RosterCleanup cleanup = new RosterCleanup(store, outbox, presences::unavailable);
        SubscriptionHandler subscriptions = new SubscriptionHandler(domain, store, pushes, presences, outbox, limits,
                preAuthenticated);
        PresenceBroadcaster broadcaster = new PresenceBroadcaster(domain, store, pushes, presences, outbox, events,
                decorators.orderedStream().toList());
        return Capability.of(Declaration.builder("roster")
                .summary("rosters, presence subscriptions and presence broadcast")
                .complete("RFC 6121", "XMPP IM", "RFC", "rosters (get, set, remove, pushes to the resources that asked), "
                        + "the full subscription state machine with pre-approval and requests kept for offline users, "
                        + "presence broadcast, probes, directed presence and unavailable on logout or lost connection, "
                        + "priorities including negative, the delivery rules of §8 for every message type")
                .complete("XEP-0237", "Roster Versioning", "1.3", "per-account counter; unchanged rosters answered empty")
                .complete("XEP-0379", "Pre-Authenticated Roster Subscription", "0.3.3",
                        "a subscribe with an invitation's token is approved for the inviter, who asks back; an account "
                        + "registered with an inviter's invitation and the inviter become mutual contacts")
                .iq(RosterItem.NAMESPACE)
                .streamFeature(XmlElement.empty("ver", ROSTER_VERSIONING))
                .streamFeature(XmlElement.empty("sub", PRE_APPROVAL))
                .listensTo(Events.ACCOUNT_REMOVED).listensTo(Events.INVITATION_ACCEPTED)
                .emits(Events.PRESENCE_AVAILABLE).emits(Events.PRESENCE_UNAVAILABLE)
                .store("roster").store("presence").build(), registrar -> {
                    registrar.iq(roster);
                    registrar.presence(subscriptions);
                    registrar.presence(broadcaster);
                    registrar.on(Events.ACCOUNT_REMOVED, cleanup::accountDeleted);
                    registrar.on(Events.ACCOUNT_REMOVED, contactInvitations::forget);
                    registrar.on(Events.INVITATION_ACCEPTED, preAuthenticated::accepted);
                });
    }
}
