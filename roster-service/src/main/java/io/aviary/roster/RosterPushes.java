package io.aviary.roster;

import io.aviary.service.Outbox;
import io.aviary.xmpp.xml.XmlElement;
import java.util.UUID;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * Roster pushes (RFC 6121 §2.1.6) to the account's "interested resources": those that requested
 * the roster in this session. Interest ends when the resource goes unavailable (its session ends,
 * or it sends unavailable presence), after which the resource must request the roster again.
 * Who is interested is kept by a {@link RosterInterest}.
 */
public final class RosterPushes {

    private final Outbox outbox;
    private final RosterInterest interest;

    public RosterPushes(Outbox outbox, RosterInterest interest) {
        this.outbox = outbox;
        this.interest = interest;
    }

    public void interested(EntityFullJid resource) {
        interest.interested(resource);
    }

    public void notInterested(EntityFullJid resource) {
        interest.notInterested(resource);
    }

    /** Pushes the new {@code item} (or a removal) with the roster version it made (RFC 6121 §2.6.3, XEP-0237). */
    private void push(EntityBareJid account, XmlElement item, long version) {
        for (EntityFullJid resource : interest.resources(account)) {
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
