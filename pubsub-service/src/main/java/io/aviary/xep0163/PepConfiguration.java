package io.aviary.xep0163;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityContext;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.spring.ConditionalOnCapability;
import io.aviary.xep0060.PubsubStore;
import io.aviary.xep0060.PubsubXml;
import io.aviary.xep0060.RosterContacts;
import java.time.Clock;
import java.util.List;
import org.jxmpp.jid.DomainBareJid;
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
            "multi-items", "presence-notifications", "filtered-notifications", "auto-subscribe", "last-published",
            "rsm");

    @Bean
    public Capability pepCapability(DomainBareJid domain, PubsubStore store, RosterContacts roster, StanzaBus bus) {
        return Capability.of(declaration(), registrar -> {
            CapabilityContext context = registrar.context();
            // A presence whose caps became known goes back to its account's lane of the topic, keyed like the router's
            // copies, so it is handled in order with them by whichever instance owns that account now.
            ContactPresence contacts = new ContactPresence(context.presenceStore(PRESENCE_STORE),
                    new CapsCache(context.store(CAPS_STORE)), context::send,
                    (account, presence) -> bus.publish(Topics.PUBSUB, account, BusMessage.of(presence)),
                    Clock.systemUTC());
            PersonalEventing pep = new PersonalEventing(domain, store, roster, context::send, Clock.systemUTC(),
                    contacts);
            registrar.iq(pep.pubsub());
            registrar.iq(pep.owner());
            registrar.iq(pep.bookmarksConversion());
            registrar.iq(pep.avatarConversion());
            registrar.presence(pep);
            registrar.on(Events.ACCOUNT_REMOVED, account -> pep.accountRemoved(account.toString()));
        });
    }

    /** Per account and contact: the available resources with their caps ({@link ContactResources}). */
    static final String PRESENCE_STORE = "pep-presence";
    /** XEP-0115 ver to features, for the whole server ({@link CapsCache}). */
    static final String CAPS_STORE = "caps";

    static Declaration declaration() {
        Declaration.Builder builder = Declaration.builder("pep")
                .summary("each account's personal eventing service: avatars, bookmarks, OMEMO keys, moods")
                .topic(Topics.PUBSUB)
                .partial("XEP-0163", "Personal Eventing Protocol", "1.2.2",
                        "publish with auto-create and publish-options, items, retract, configure, delete, purge; "
                                + "notifications to the resources of the owner and of contacts with a presence "
                                + "subscription whose caps ask for them (+notify), the last item to a resource that "
                                + "becomes available; no explicit subscriptions")
                .partial("XEP-0115", "Entity Capabilities", "1.6.0",
                        "contacts' caps for PEP: each new ver asked once (disco#info), verified with any hash "
                                + "function of §5.1 and extended forms, and kept for the whole server")
                .partial("XEP-0060", "Publish-Subscribe", "1.26.0",
                        "as PEP uses it: access models open, presence, roster (with roster groups), whitelist; "
                                + "preconditions on access_model, persist_items, max_items; items in RSM pages")
                .partial("XEP-0411", "Bookmarks Conversion", "1.1.0",
                        "both ways between the XEP-0402 node and XEP-0048 bookmarks in private storage, at each "
                                + "change; URL bookmarks are not carried over")
                .partial("XEP-0402", "PEP Native Bookmarks", "1.2.0",
                        "the node as §3 configures it (whitelist, max items), kept in step with private storage")
                .accountIq(PubsubXml.NAMESPACE).accountIq(PubsubXml.OWNER).accountIq(BookmarksConversion.SYNC_NAMESPACE)
                .accountIq(AvatarConversion.TO_PEP).accountFeature(AvatarConversion.FEATURE)
                .partial("XEP-0398", "User Avatar to vCard-Based Avatars Conversion", "0.2.1",
                        "both ways between the XEP-0084 nodes and the vCard's PHOTO, at each change; the photo's hash "
                                + "in broadcast presence (vcard capability), not yet in directed presence")
                .accountFeature(BookmarksConversion.FEATURE).accountFeature(BookmarksConversion.COMPAT_FEATURE)
                .listensTo(Events.ACCOUNT_REMOVED).store("pubsub").store(PRESENCE_STORE).store(CAPS_STORE)
                .accountIdentity("pubsub", "pep").accountPresence();
        FEATURES.forEach(feature -> builder.accountFeature(PubsubXml.NAMESPACE + "#" + feature));
        return builder.build();
    }
}
