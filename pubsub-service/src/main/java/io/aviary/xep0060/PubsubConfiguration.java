package io.aviary.xep0060;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.HostedService;
import io.aviary.capability.spring.ConditionalOnCapability;
import java.time.Clock;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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

    static final Set<String> FEATURES = Stream.concat(Stream.of(PubsubXml.NAMESPACE), Stream.of("create-nodes",
                    "instant-nodes", "config-node", "delete-nodes", "publish", "publish-options", "retract-items",
                    "purge-nodes", "retrieve-items", "subscribe", "modify-affiliations", "retrieve-affiliations",
                    "access-open", "access-presence", "access-roster", "access-whitelist", "access-authorize",
                    "item-ids", "persistent-items", "multi-items", "retrieve-subscriptions", "subscription-options",
                    "manage-subscriptions", "subscription-notifications", "last-published", "rsm")
            .map(feature -> PubsubXml.NAMESPACE + "#" + feature)).collect(Collectors.toUnmodifiableSet());

    @Bean
    public Capability pubsubCapability(DomainBareJid domain, PubsubStore store, RosterContacts roster)
            throws XmppStringprepException {
        DomainBareJid address = JidCreate.domainBareFrom("pubsub." + domain);
        HostedService service = HostedService.of(address, "Publish-Subscribe", "pubsub", "service", FEATURES);
        return Capability.of(declaration(service), registrar -> {
            PubsubService pubsub = new PubsubService(service, domain, store, roster, registrar.context()::send,
                    Clock.systemUTC());
            registrar.service(address, pubsub);
            registrar.on(Events.ACCOUNT_REMOVED, account -> pubsub.accountRemoved(account.toString()));
        });
    }

    static Declaration declaration(HostedService service) {
        return Declaration.builder("pubsub").summary("publish-subscribe nodes at pubsub.<domain>")
                .topic(Topics.PUBSUB)
                .partial("XEP-0060", "Publish-Subscribe", "1.26.0",
                        "at pubsub.<domain>: create (instant too, with configuration), configure, delete, purge, "
                                + "publish with publish-options, retract, items (by id, max_items, RSM pages), "
                                + "subscribe (with options), unsubscribe, subscription options (pubsub#deliver), "
                                + "the entity's subscriptions and affiliations, the owner's affiliations and "
                                + "subscriptions; access models open, presence, roster (with roster groups), whitelist, "
                                + "authorize (pending subscriptions approved by message); no collections, no "
                                + "subscription ids, no pending list by ad-hoc command")
                .hostedService(service).listensTo(Events.ACCOUNT_REMOVED).store("pubsub").build();
    }
}
