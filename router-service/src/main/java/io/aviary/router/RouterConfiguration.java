package io.aviary.router;

import io.aviary.account.AccountStore;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.router.archive.MessageArchiving;
import io.aviary.router.archive.ServiceTopics;
import io.aviary.router.archive.StanzaIds;
import io.aviary.session.SessionRegistry;
import io.aviary.session.resumption.ExpiredSessions;
import io.aviary.session.resumption.ResumptionStore;
import io.aviary.session.resumption.UndeliveredMessages;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/** The router tier: on unless {@code aviary.router.enabled=false}; the capabilities' filters run before its rules. */
@AutoConfiguration(afterName = "io.aviary.capability.spring.CapabilitiesConfiguration")
@ConditionalOnProperty(prefix = "aviary.router", name = "enabled", matchIfMissing = true)
public class RouterConfiguration {

    @Bean
    public ServiceTopics serviceTopics(CapabilityCatalogue catalogue) {
        return new ServiceTopics(catalogue);
    }

    /**
     * Messages are archived (XEP-0313) while some capability of the server serves the archive topic; stanzas to the
     * address of a hosted service go to that service; stanzas to other domains go to the federation tier while some
     * capability of the server serves its topic.
     */
    @Bean
    public DeliveryRules deliveryRules(@Value("${aviary.domain:localhost}") String domain, SessionRegistry registry,
                                       AccountStore accounts, ServiceTopics topics)
            throws XmppStringprepException {
        DomainBareJid served = JidCreate.domainBareFrom(domain);
        return new DeliveryRules(served, registry, account -> accounts.exists(account.getLocalpart().toString()),
                new MessageArchiving(served, Clock.systemUTC(), new StanzaIds(), () -> topics.serves(Topics.ARCHIVE)),
                topics::hosts, () -> topics.serves(Topics.S2S));
    }

    @Bean
    public SessionDeliveries sessionDeliveries(StanzaBus bus, SessionRegistry registry, ResumptionStore store,
                                               MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        return new SessionDeliveries(bus, store, new ExpiredSessions(registry, store, bus, meters, clock),
                new UndeliveredMessages(bus, meters, clock), meters);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public StanzaRouter stanzaRouter(StanzaBus bus, DeliveryRules rules, MeterRegistry meters,
                                     CapabilityRegistry capabilities, SessionDeliveries deliveries,
                                     ServiceTopics topics) {
        return new StanzaRouter(bus, rules, meters, capabilities.filters(), deliveries, topics);
    }
}
