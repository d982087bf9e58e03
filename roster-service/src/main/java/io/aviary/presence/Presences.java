package io.aviary.presence;

import io.aviary.service.Outbox;
import io.aviary.service.PresenceSender;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityBareJid;

/** Presence the server sends on an account's behalf, from what the {@link PresenceStore} knows. */
public final class Presences implements PresenceSender {

    private final PresenceStore store;
    private final Outbox outbox;

    public Presences(PresenceStore store, Outbox outbox) {
        this.store = store;
        this.outbox = outbox;
    }

    public PresenceStore store() {
        return store;
    }

    /** Hands {@code stanza} to each available resource of {@code account}, addressed to its full JID. */
    public void toAvailableResources(EntityBareJid account, XmlElement stanza) {
        store.resources(account).forEach(r -> outbox.send(stanza.withAttribute("to", r.resource().toString())));
    }

    /** The last presence of each available resource of {@code account}, sent to {@code to} (RFC 6121 §3.1.5, §4.3.2). */
    @Override
    public void current(EntityBareJid account, String to) {
        store.resources(account).forEach(r -> outbox.send(r.presence().withAttribute("to", to)));
    }

    /** Unavailable presence from each available resource of {@code account} to {@code to} (RFC 6121 §3.2.2, §3.3.3). */
    @Override
    public void unavailable(EntityBareJid account, String to) {
        store.resources(account).forEach(r -> outbox.send(XmlElement.builder("presence", "jabber:client")
                .attribute("from", r.resource().toString()).attribute("to", to).attribute("type", "unavailable").build()));
    }
}
