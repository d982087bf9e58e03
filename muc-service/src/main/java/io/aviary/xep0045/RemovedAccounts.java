package io.aviary.xep0045;

import io.aviary.service.OperatorRequests;
import io.aviary.xmpp.xml.XmlElement;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Hears {@code account.removed} and asks each room that names the account (an affiliation or a hat) to forget it
 * ({@link RoomAdministration#accountRemoved}). Otherwise whoever registers the name next would own the removed
 * account's rooms, or enter its members-only rooms and read their archives. The change itself happens in the room's
 * lane, as an {@code <account-removed/>} operator request from the server on the muc topic keyed by the room, so it
 * is ordered with the room's other changes on whichever instance serves the room; the result goes to the server's
 * domain, where it is dropped.
 */
final class RemovedAccounts {

    static final String REQUEST = "account-removed";

    private final RoomStore store;
    private final DomainBareJid domain;
    private final Consumer<XmlElement> send;

    /** @param send publishes a stanza the server sends for routing (the {@code Outbox}) */
    RemovedAccounts(RoomStore store, DomainBareJid domain, Consumer<XmlElement> send) {
        this.store = store;
        this.domain = domain;
        this.send = send;
    }

    void removed(EntityBareJid account) {
        for (EntityBareJid room : store.roomsNaming(account)) {
            send.accept(MucXml.stanza("iq", domain.toString(), room.toString(), "set")
                    .attribute("id", REQUEST + "-" + UUID.randomUUID())
                    .child(XmlElement.builder(REQUEST, OperatorRequests.NAMESPACE)
                            .attribute("jid", account.toString()).build())
                    .build());
        }
    }
}
