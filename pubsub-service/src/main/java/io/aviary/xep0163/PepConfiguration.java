package io.aviary.xep0163;

import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.xep0060.PubsubStore;
import io.aviary.xep0060.PubsubXml;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * XEP-0163 personal eventing (capability {@code pep}, on the pubsub topic), switched by
 * {@code aviary.capabilities.pep.enabled}.
 */
@AutoConfiguration(afterName = "io.aviary.xep0060.PubsubStoreConfiguration")
@ConditionalOnBean({StanzaBus.class, PubsubStore.class})
@ConditionalOnCapability("pep")
public class PepConfiguration {

    /** The features XEP-0163 §6 has an account advertise, of those this service implements. */
    static final List<String> FEATURES = List.of("publish", "auto-create", "publish-options", "access-open",
            "access-presence", "access-roster", "access-whitelist", "retrieve-items", "retract-items",
            "delete-nodes", "purge-nodes", "config-node", "create-nodes", "item-ids", "persistent-items",
            "multi-items", "presence-notifications");

    @Bean
    public Capability pepCapability(DomainBareJid domain, PubsubStore store, ObjectProvider<DataSource> dataSource) {
        DataSource source = dataSource.getIfAvailable();
        RosterContacts roster = source == null ? RosterContacts.NONE : new JdbcRosterContacts(source);
        return Capability.of(declaration(), registrar -> {
            PersonalEventing pep = new PersonalEventing(domain, store, roster, registrar.context()::send,
                    Clock.systemUTC());
            registrar.iq(pep.pubsub());
            registrar.iq(pep.owner());
            registrar.on(Events.ACCOUNT_REMOVED, account -> pep.accountRemoved(account.toString()));
        });
    }

    static Declaration declaration() {
        Declaration.Builder builder = Declaration.builder("pep")
                .summary("each account's personal eventing service: avatars, bookmarks, OMEMO keys, moods")
                .topic(Topics.PUBSUB)
                .partial("XEP-0163", "Personal Eventing Protocol", "1.2.2",
                        "publish with auto-create and publish-options, items, retract, configure, delete, purge; "
                                + "notifications to the owner and contacts with a presence subscription, without "
                                + "+notify filtering or last-item delivery on presence")
                .partial("XEP-0060", "Publish-Subscribe", "1.26.0",
                        "as PEP uses it: access models open, presence, roster (without groups), whitelist; "
                                + "preconditions on access_model, persist_items, max_items")
                .accountIq(PubsubXml.NAMESPACE).accountIq(PubsubXml.OWNER)
                .listensTo(Events.ACCOUNT_REMOVED).store("pubsub");
        FEATURES.forEach(feature -> builder.accountFeature(PubsubXml.NAMESPACE + "#" + feature));
        return builder.build();
    }
}
