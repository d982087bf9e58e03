package io.aviary.xep0191;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.service.PresenceSender;
import io.aviary.service.SubscriptionLookup;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xep0377.AbuseReporting;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0191 Blocking Command for one's own account: the use cases "User Retrieves Block List",
 * "User Blocks Contact", "User Unblocks Contact" and "User Unblocks All Contacts". Every change
 * is pushed to each of the account's bound resources as an IQ set with the changed items ("The
 * server MUST also send an IQ-set to all of the user's resources that have requested the
 * blocklist"; we push to all of them, and clients that never asked simply answer). The effect
 * on routing is {@link BlockingFilter}'s.
 * <ul>
 * <li>to another account or the domain: {@code forbidden} (only the user's own server acts, on
 *     requests "with no 'to' address");</li>
 * <li>{@code <block/>} without items: {@code bad-request} ("User Blocks Contact": "MUST return a
 *     &lt;bad-request/&gt; error"); an item whose {@code jid} is missing or not a JID:
 *     {@code jid-malformed} (RFC 6120 §8.3.3.8);</li>
 * <li>get with anything but {@code <blocklist/>}, set with anything but block/unblock:
 *     {@code bad-request}.</li>
 * </ul>
 * A block item may carry a XEP-0377 abuse report, which goes into the operators' review queue.
 */
public final class BlockingCommand implements IqHandler {

    public static final String NAMESPACE = "urn:xmpp:blocking";

    private final DomainBareJid domain;
    private final BlockListStore store;
    private final SessionRegistry sessions;
    private final StanzaBus bus;
    private final SubscriptionLookup subscriptions;
    private final PresenceSender presence;
    private final AbuseReporting reporting;

    public BlockingCommand(DomainBareJid domain, BlockListStore store, SessionRegistry sessions, StanzaBus bus,
                           SubscriptionLookup subscriptions, PresenceSender presence, AbuseReporting reporting) {
        this.reporting = reporting;
        this.domain = domain;
        this.store = store;
        this.sessions = sessions;
        this.bus = bus;
        this.subscriptions = subscriptions;
        this.presence = presence;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null || !address.toSelf()) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        XmlElement command = iq.payload().orElseThrow();
        String username = address.account().getLocalpart().toString();
        if ("get".equals(iq.type())) {
            if (!command.name().equals("blocklist")) {
                return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
            }
            return iq.iqResult(element("blocklist", store.blocked(username)));
        }
        List<String> items = new ArrayList<>();
        List<XmlElement> elements = command.elements().toList();
        for (XmlElement item : elements) {
            String jid = item.is("item", NAMESPACE) ? BlockList.normalize(item.attributeOrNull("jid")) : null;
            if (jid == null) {
                // Without the payload: clients parse echoed items, and this one does not parse.
                return IqErrors.withoutPayload(iq, StanzaErrorCondition.JID_MALFORMED, null);
            }
            items.add(jid);
        }
        switch (command.name()) {
            case "block" -> {
                if (items.isEmpty()) {
                    return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
                }
                store.block(username, items);
                for (int i = 0; i < items.size(); i++) {
                    reporting.reported(address.account().toString(), items.get(i), elements.get(i)); // XEP-0377
                }
                // "the user's server MUST send unavailable presence information to the contact (but
                // only if the contact is allowed to receive presence notifications)" (§3.3)
                tellSubscribers(address.account(), items, presence::unavailable);
            }
            case "unblock" -> {
                List<String> unblocked = items.isEmpty() ? List.copyOf(store.blocked(username)) : items;
                if (items.isEmpty()) {
                    store.clear(username);
                } else {
                    store.unblock(username, items);
                }
                // "the user's server MUST send the user's current presence to the contact" (§3.4, §3.5)
                tellSubscribers(address.account(), unblocked, presence::current);
            }
            default -> {
                return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
            }
        }
        push(address.account(), element(command.name(), items));
        return iq.iqResult(null);
    }

    /** Runs {@code send} for each item that is a contact entitled to the account's presence. */
    private void tellSubscribers(EntityBareJid account, Collection<String> items,
                                 java.util.function.BiConsumer<EntityBareJid, String> send) {
        for (String item : items) {
            try {
                BareJid contact = JidCreate.from(item).asBareJid();
                if (contact.hasLocalpart() && subscriptions.receivesPresence(account, contact)) {
                    send.accept(account, item);
                }
            } catch (XmppStringprepException e) {
                // stored items were normalised when blocked
            }
        }
    }

    public void accountDeleted(EntityBareJid account) {
        store.clear(account.getLocalpart().toString());
    }

    private void push(EntityBareJid account, XmlElement change) {
        for (SessionEntry session : sessions.sessions(account)) {
            XmlElement push = XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE)
                    .attribute("to", session.jid().toString()).attribute("type", "set")
                    .attribute("id", "block-push-" + UUID.randomUUID()).child(change).build();
            bus.publish(Topics.ROUTE, account.toString(), BusMessage.of(push));
        }
    }

    private static XmlElement element(String name, Collection<String> jids) {
        XmlElement.Builder element = XmlElement.builder(name, NAMESPACE);
        jids.stream().sorted().forEach(jid -> element.child(XmlElement.builder("item", NAMESPACE).attribute("jid", jid).build()));
        return element.build();
    }
}
