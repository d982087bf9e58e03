package io.aviary.xep0060;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import java.time.Clock;
import java.util.Set;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * The XEP-0060 service at {@code pubsub.<domain>} (capability {@code pubsub}, on the pubsub topic), switched by
 * {@code aviary.capabilities.pubsub.enabled}.
 */
@AutoConfiguration(after = PubsubStoreConfiguration.class)
@ConditionalOnBean({StanzaBus.class, PubsubStore.class})
@ConditionalOnCapability("pubsub")
public class PubsubConfiguration {

    static final Set<String> FEATURES = Set.of(PubsubXml.NAMESPACE, PubsubXml.NAMESPACE + "#create-nodes",
            PubsubXml.NAMESPACE + "#instant-nodes", PubsubXml.NAMESPACE + "#config-node",
            PubsubXml.NAMESPACE + "#delete-nodes", PubsubXml.NAMESPACE + "#publish",
            PubsubXml.NAMESPACE + "#publish-options", PubsubXml.NAMESPACE + "#retract-items",
            PubsubXml.NAMESPACE + "#purge-nodes", PubsubXml.NAMESPACE + "#retrieve-items",
            PubsubXml.NAMESPACE + "#subscribe", PubsubXml.NAMESPACE + "#modify-affiliations",
            PubsubXml.NAMESPACE + "#retrieve-affiliations", PubsubXml.NAMESPACE + "#access-open",
            PubsubXml.NAMESPACE + "#access-presence", PubsubXml.NAMESPACE + "#access-roster",
            PubsubXml.NAMESPACE + "#access-whitelist", PubsubXml.NAMESPACE + "#access-authorize",
            PubsubXml.NAMESPACE + "#item-ids", PubsubXml.NAMESPACE + "#persistent-items",
            PubsubXml.NAMESPACE + "#multi-items", PubsubXml.NAMESPACE + "#retrieve-subscriptions",
            PubsubXml.NAMESPACE + "#subscription-options", PubsubXml.NAMESPACE + "#manage-subscriptions",
            PubsubXml.NAMESPACE + "#subscription-notifications", PubsubXml.NAMESPACE + "#last-published",
            PubsubXml.NAMESPACE + "#rsm");

    @Bean
    public Capability pubsubCapability(DomainBareJid domain, PubsubStore store, RosterContacts roster)
            throws XmppStringprepException {
        DomainBareJid address = JidCreate.domainBareFrom("pubsub." + domain);
        HostedService service = HostedService.of(address, "Publish-Subscribe", "pubsub", "service", FEATURES);
        return Capability.of(declaration(service), registrar -> registrar.service(address,
                new PubsubService(service, domain, store, roster, registrar.context()::send, Clock.systemUTC())));
    }

    static Declaration declaration(HostedService service) {
        return Declaration.builder("pubsub").summary("publish-subscribe nodes at pubsub.<domain>")
                .topic(Topics.PUBSUB)
                .partial("XEP-0060", "Publish-Subscribe", "1.26.0",
                        "at pubsub.<domain>: create (instant too, with configuration), configure, delete, purge, "
                                + "publish with publish-options, retract, items (by id, max_items, RSM pages), "
                                + "subscribe (with options), unsubscribe, subscription options (pubsub#deliver), "
                                + "the entity's subscriptions and affiliations, the owner's affiliations and "
                                + "subscriptions; access models open, presence, roster (without groups), whitelist, "
                                + "authorize (pending subscriptions approved by message); no collections, no "
                                + "subscription ids, no pending list by ad-hoc command")
                .hostedService(service).store("pubsub").build();
    }
}
