package io.aviary.roster;

import io.aviary.service.Outbox;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Roster pushes (RFC 6121 §2.1.6) to the account's "interested resources": those that requested
 * the roster in this session. Interest ends when the resource goes unavailable (its session ends,
 * or it sends unavailable presence), after which the resource must request the roster again.
 * Kept in memory: a cluster would keep it next to the session registry.
 */
public final class RosterPushes {

    private final Outbox outbox;
    private final Map<EntityBareJid, Set<EntityFullJid>> interested = new ConcurrentHashMap<>();

    public RosterPushes(Outbox outbox) {
        this.outbox = outbox;
    }

    public void interested(EntityFullJid resource) {
        interested.computeIfAbsent(resource.asEntityBareJid(), a -> ConcurrentHashMap.newKeySet()).add(resource);
    }

    public void notInterested(EntityFullJid resource) {
        interested.computeIfPresent(resource.asEntityBareJid(), (account, resources) -> {
            resources.remove(resource);
            return resources.isEmpty() ? null : resources;
        });
    }

    /** Pushes the new {@code item} (or a removal) with the roster version it made (RFC 6121 §2.6.3, XEP-0237). */
    private void push(EntityBareJid account, XmlElement item, long version) {
        for (EntityFullJid resource : interested.getOrDefault(account, Set.of())) {
            // §2.1.6: a push comes from the account's bare JID (or none); clients ignore others.
            outbox.send(XmlElement.builder("iq", "jabber:client")
                    .attribute("type", "set")
                    .attribute("id", "push-" + UUID.randomUUID())
                    .attribute("from", account.toString())
                    .attribute("to", resource.toString())
                    .child(XmlElement.builder("query", RosterItem.NAMESPACE)
                            .attribute("ver", Long.toString(version)).child(item).build())
                    .build());
        }
    }

    /** Pushes whatever an update changed in a listed item. */
    public void push(EntityBareJid account, RosterStore.Update update) {
        if (!update.changed()) {
            return;
        }
        boolean wasListed = update.before().map(RosterItem::listed).orElse(false);
        RosterItem after = update.after().orElse(null);
        if (after != null && after.listed()) {
            push(account, after.toElement(), update.version());
        } else if (wasListed) {
            push(account, RosterItem.removal(update.before().orElseThrow().contact()), update.version());
        }
    }
}
