package io.aviary.roster;

import io.aviary.account.AccountStore;
import io.aviary.bus.StanzaBus;
import io.aviary.offline.JdbcOfflineStore;
import io.aviary.offline.OfflineMessages;
import io.aviary.offline.OfflineProperties;
import io.aviary.offline.OfflineStore;
import io.aviary.presence.InMemoryPresenceStore;
import io.aviary.presence.PresenceBroadcaster;
import io.aviary.presence.PresenceStore;
import io.aviary.presence.Presences;
import io.aviary.presence.SubscriptionHandler;
import io.aviary.service.Outbox;
import io.aviary.service.PresenceListener;
import io.aviary.service.StreamFeatureProvider;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * RFC 6121 instant messaging and presence: roster (with XEP-0237 versioning), subscriptions with
 * pre-approval, presence broadcast and probes, and offline messages (XEP-0160, XEP-0203 delays).
 * What it registers: the {@code jabber:iq:roster} handler, presence and message handlers for the
 * service topic, the stream features {@code rosterver} and {@code sub} (pre-approval), the disco
 * feature {@code msgoffline}, and the {@code user.deleted} clean-up of rosters and offline messages.
 */
@AutoConfiguration(after = RosterServiceConfiguration.class)
@ConditionalOnBean(StanzaBus.class)
@EnableConfigurationProperties({RosterProperties.class, OfflineProperties.class})
public class ImConfiguration {

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
    @DependsOnDatabaseInitialization
    public OfflineStore offlineStore(DataSource dataSource) {
        return new JdbcOfflineStore(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    public PresenceStore presenceStore() {
        return new InMemoryPresenceStore();
    }

    @Bean
    public Outbox outbox(StanzaBus bus) {
        return new Outbox(bus);
    }

    @Bean
    @ConditionalOnMissingBean
    public RosterInterest rosterInterest() {
        return new InMemoryRosterInterest();
    }

    @Bean
    public RosterPushes rosterPushes(Outbox outbox, RosterInterest interest) {
        return new RosterPushes(outbox, interest);
    }

    @Bean
    public RosterHandler rosterHandler(RosterStore store, RosterPushes pushes, Outbox outbox, RosterProperties limits) {
        return new RosterHandler(store, pushes, outbox, limits);
    }

    @Bean
    public RosterCleanup rosterCleanup(RosterStore store, Outbox outbox, Presences presences) {
        return new RosterCleanup(store, outbox, presences::unavailable);
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
    public SubscriptionHandler subscriptionHandler(@Value("${aviary.domain:localhost}") String domain, RosterStore roster,
                                                   RosterPushes pushes, Presences presences, Outbox outbox,
                                                   RosterProperties limits) throws XmppStringprepException {
        return new SubscriptionHandler(domainOf(domain), roster, pushes, presences, outbox, limits);
    }

    @Bean
    public PresenceBroadcaster presenceBroadcaster(@Value("${aviary.domain:localhost}") String domain, RosterStore roster,
                                                   RosterPushes pushes, Presences presences, Outbox outbox,
                                                   ObjectProvider<PresenceListener> listeners)
            throws XmppStringprepException {
        return new PresenceBroadcaster(domainOf(domain), roster, pushes, presences, outbox,
                listeners.orderedStream().toList());
    }

    @Bean
    public OfflineMessages offlineMessages(@Value("${aviary.domain:localhost}") String domain, OfflineStore store,
                                           Outbox outbox, OfflineProperties properties, SessionRegistry registry,
                                           AccountStore accounts)
            throws XmppStringprepException {
        return new OfflineMessages(domainOf(domain), store, outbox, properties.maxMessages(), Clock.systemUTC(), registry,
                accounts::exists);
    }

    /** Roster versioning (RFC 6121 §2.6.1, XEP-0237) and subscription pre-approval (RFC 6121 §3.4.1). */
    @Bean
    public StreamFeatureProvider imStreamFeatures() {
        List<XmlElement> features = List.of(XmlElement.empty("ver", ROSTER_VERSIONING), XmlElement.empty("sub", PRE_APPROVAL));
        return () -> features;
    }

    private static DomainBareJid domainOf(String domain) throws XmppStringprepException {
        return JidCreate.domainBareFrom(domain);
    }
}
