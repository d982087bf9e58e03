package io.aviary.offline;

import io.aviary.service.MessageHandler;
import io.aviary.service.Outbox;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Offline messages (RFC 6121 §8.5.2.2.1, XEP-0160): a {@code normal} or {@code chat} message the
 * router found no available resource for is kept, stamped with a XEP-0203 delay, and delivered
 * when the account next becomes reachable (the {@code presence.available} event), then deleted. Over the
 * quota the sender gets {@code resource-constraint}. Headline, groupchat and error messages are
 * never kept (XEP-0160 §3), nor are bare chat states and {@code no-store} messages.
 */
public final class OfflineMessages implements MessageHandler {

    public static final String DELAY_NAMESPACE = "urn:xmpp:delay";
    private static final String CHAT_STATES_NAMESPACE = "http://jabber.org/protocol/chatstates";
    private static final String HINTS_NAMESPACE = "urn:xmpp:hints";

    private final DomainBareJid domain;
    private final OfflineStore store;
    private final Outbox outbox;
    private final int quota;
    private final Clock clock;
    private final SessionRegistry registry;
    private final Predicate<String> accountExists;

    public OfflineMessages(DomainBareJid domain, OfflineStore store, Outbox outbox, int quota, Clock clock,
                           SessionRegistry registry,
                           Predicate<String> accountExists) {
        this.domain = domain;
        this.store = store;
        this.registry = registry;
        this.accountExists = accountExists;
        this.outbox = outbox;
        this.quota = quota;
        this.clock = clock;
    }

    @Override
    public void handleMessage(Stanza message) {
        String type = message.type() == null ? "normal" : message.type();
        if ((!type.equals("normal") && !type.equals("chat")) || !worthKeeping(message.element())) {
            return;
        }
        EntityBareJid account;
        try {
            Jid to = message.to();
            account = to == null ? null : to.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return;
        }
        if (account == null || !account.getDomain().equals(domain)) {
            return; // a message to the server itself is nobody's mail
        }
        if (!accountExists.test(account.getLocalpart().toString())) {
            // Removed after the router looked (RFC 6121 §8.5.1: no such account).
            outbox.send(message.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE));
            return;
        }
        XmlElement stamped = message.element()
                .withoutChildren("delay", DELAY_NAMESPACE)
                .withChild(XmlElement.builder("delay", DELAY_NAMESPACE)
                        .attribute("from", domain.toString())
                        .attribute("stamp", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
                        .build());
        if (!store.store(account.getLocalpart().toString(), stamped, quota)) {
            outbox.send(message.errorReply(StanzaErrorCondition.RESOURCE_CONSTRAINT));
            return;
        }
        // The router found nobody, but the account may have become reachable since, and its
        // flush may have run before this message was stored (the two are processed under
        // different bus keys). Then the message goes out again now instead of waiting a login.
        if (registry.sessions(account).stream().anyMatch(s -> s.available() && s.priority() >= 0)) {
            taken(account.getLocalpart().toString()).forEach(outbox::send);
        }
    }

    /**
     * The account's stored messages, each once. In a cluster the service topic delivers at least once: a roster
     * service that dies before committing leaves a message to be stored again by the next one, with a later
     * delay stamp. A message with an id that equals an earlier one but for the stamp is that copy.
     */
    private List<XmlElement> taken(String username) {
        Set<XmlElement> seen = new HashSet<>();
        return store.take(username).stream()
                .filter(m -> m.attribute("id").isEmpty() || seen.add(m.withoutChildren("delay", DELAY_NAMESPACE)))
                .toList();
    }

    /**
     * A bare chat state notification is not kept (XEP-0085 §5.6), nor is a message the sender
     * asked not to be stored (XEP-0334 {@code <no-store/>}); both are dropped without an error.
     */
    private static boolean worthKeeping(XmlElement message) {
        if (message.elements().anyMatch(e -> e.is("no-store", HINTS_NAMESPACE))) {
            return false;
        }
        return message.child("body", "jabber:client").isPresent()
                || message.elements().noneMatch(e -> e.namespace().equals(CHAT_STATES_NAMESPACE));
    }

    public void resourceReachable(EntityFullJid resource) {
        for (XmlElement message : taken(resource.getLocalpart().toString())) {
            outbox.send(message.withAttribute("to", resource.toString()));
        }
    }

    public void accountDeleted(EntityBareJid account) {
        store.deleteAll(account.getLocalpart().toString());
    }
}
