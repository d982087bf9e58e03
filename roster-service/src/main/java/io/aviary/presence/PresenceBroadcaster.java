package io.aviary.presence;

import io.aviary.capability.EventSink;
import io.aviary.capability.Events;
import io.aviary.roster.RosterHandler;
import io.aviary.roster.RosterItem;
import io.aviary.roster.RosterPushes;
import io.aviary.roster.RosterStore;
import io.aviary.service.Outbox;
import io.aviary.service.PresenceDecorator;
import io.aviary.service.PresenceHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence broadcast and probes (RFC 6121 §4): an account's available and unavailable presence
 * goes to the contacts subscribed to it and to the account's own resources; initial presence also
 * probes the contacts the account is subscribed to and brings the requests still pending (§3.1.3).
 * Probes are answered with the last presence of each available resource (§4.3.2).
 */
public final class PresenceBroadcaster implements PresenceHandler {

    private static final Logger log = LoggerFactory.getLogger(PresenceBroadcaster.class);

    private final DomainBareJid domain;
    private final RosterStore roster;
    private final RosterPushes pushes;
    private final Presences presences;
    private final Outbox outbox;
    private final EventSink events;
    private final List<PresenceDecorator> decorators;

    public PresenceBroadcaster(DomainBareJid domain, RosterStore roster, RosterPushes pushes, Presences presences,
                               Outbox outbox, EventSink events) {
        this(domain, roster, pushes, presences, outbox, events, List.of());
    }

    /** @param decorators what other capabilities add to available presence before it is kept and broadcast */
    public PresenceBroadcaster(DomainBareJid domain, RosterStore roster, RosterPushes pushes, Presences presences,
                               Outbox outbox, EventSink events, List<PresenceDecorator> decorators) {
        this.decorators = List.copyOf(decorators);
        this.domain = domain;
        this.roster = roster;
        this.pushes = pushes;
        this.presences = presences;
        this.outbox = outbox;
        this.events = events;
    }

    @Override
    public void handlePresence(Stanza presence) {
        Jid from;
        Jid to;
        try {
            from = presence.from();
            to = presence.to();
        } catch (XmppStringprepException e) {
            return;
        }
        if (from == null) {
            return;
        }
        String type = presence.type();
        EntityFullJid resource = from.asEntityFullJidIfPossible();
        if (to == null && resource != null && resource.getDomain().equals(domain)) {
            if (type == null) {
                available(resource, presence.element());
            } else if (type.equals("unavailable")) {
                unavailable(resource, presence.element());
            }
        } else if ("probe".equals(type) && to != null && to.hasLocalpart() && to.getDomain().equals(domain)) {
            probe(to.asEntityBareJidIfPossible(), from);
        }
    }

    private void available(EntityFullJid resource, XmlElement sent) {
        XmlElement presence = sent;
        for (PresenceDecorator decorator : decorators) {
            presence = decorator.decorate(resource.asEntityBareJid(), presence);
        }
        int priority = presence.childText("priority", "jabber:client").map(PresenceBroadcaster::priority).orElse(0);
        Optional<ResourcePresence> previous = presences.store().available(new ResourcePresence(resource, presence, priority));
        EntityBareJid account = resource.asEntityBareJid();
        List<RosterItem> items = roster.roster(RosterHandler.accountOf(account)).items();
        broadcast(account, items, presence);
        if (previous.isEmpty()) {
            initial(resource, items);
        }
        if (priority >= 0 && previous.map(p -> p.priority() < 0).orElse(true)) {
            events.emit(Events.PRESENCE_AVAILABLE, resource);
        }
    }

    /** §4.2.2-§4.2.3 and §3.1.3 for a resource that just became available. */
    private void initial(EntityFullJid resource, List<RosterItem> items) {
        EntityBareJid account = resource.asEntityBareJid();
        for (RosterItem item : items) {
            if (item.state().hasTo()) {
                outbox.send(XmlElement.builder("presence", "jabber:client").attribute("type", "probe")
                        .attribute("from", account.toString()).attribute("to", item.contact()).build());
            }
            if (item.state().pendingIn()) {
                outbox.send(pendingRequest(account, item.contact(), resource));
            }
        }
        // The new resource learns about the account's other available resources.
        presences.store().resources(account).stream()
                .filter(r -> !r.resource().equals(resource))
                .forEach(r -> outbox.send(r.presence().withAttribute("to", resource.toString())));
    }

    /**
     * §3.1.3: the request as the contact sent it, or one made from the roster state when none was kept (an earlier
     * version kept none) or the kept one no longer parses, which is then logged instead of failing the login.
     */
    private XmlElement pendingRequest(EntityBareJid account, String contact, EntityFullJid resource) {
        Optional<XmlElement> kept = roster.request(RosterHandler.accountOf(account), contact).flatMap(xml -> {
            try {
                return Optional.of(XmlFragment.parse(xml));
            } catch (IllegalArgumentException e) {
                log.warn("Kept subscription request of {} to {} cannot be read back; sending a plain one", contact, account, e);
                return Optional.empty();
            }
        });
        return kept.map(request -> request.withAttribute("to", resource.toString()))
                .orElseGet(() -> RosterHandler.subscriptionPresence(contact, resource.toString(), "subscribe"));
    }

    private void unavailable(EntityFullJid resource, XmlElement presence) {
        pushes.notInterested(resource);
        if (presences.store().unavailable(resource).isPresent()) {
            EntityBareJid account = resource.asEntityBareJid();
            broadcast(account, roster.roster(RosterHandler.accountOf(account)).items(), presence);
            events.emit(Events.PRESENCE_UNAVAILABLE, new Events.ResourceUnavailable(resource, presence));
        }
    }

    /** §4.2.2 and §4.4.2: to every contact with subscription from or both, and to the account's own resources. */
    private void broadcast(EntityBareJid account, List<RosterItem> items, XmlElement presence) {
        items.stream().filter(item -> item.state().hasFrom())
                .forEach(item -> outbox.send(presence.withAttribute("to", item.contact())));
        outbox.send(presence.withAttribute("to", account.toString()));
    }

    /**
     * §4.3.2: a probe is answered with the last presence of each available resource, or with an
     * unavailable presence from the bare JID when there is none, but only for the account itself
     * or a contact with subscription from or both. Anyone else gets {@code unsubscribed} from the
     * bare JID (step 1), which corrects a prober that believed it was subscribed; its
     * pre-approval, if any, survives (inbound unsubscribed only removes "to").
     */
    private void probe(EntityBareJid account, Jid prober) {
        boolean allowed = prober.asBareJid().equals(account) || roster.item(RosterHandler.accountOf(account),
                prober.asBareJid().toString()).map(item -> item.state().hasFrom()).orElse(false);
        if (!allowed) {
            outbox.send(RosterHandler.subscriptionPresence(account.toString(), prober.asBareJid().toString(), "unsubscribed"));
        } else if (presences.store().resources(account).isEmpty()) {
            outbox.send(XmlElement.builder("presence", "jabber:client").attribute("type", "unavailable")
                    .attribute("from", account.toString()).attribute("to", prober.toString()).build());
        } else {
            presences.current(account, prober.toString());
        }
    }

    /** RFC 6121 §4.7.2.3: an integer from -128 to +127; the gateway has already refused anything else. */
    static int priority(String text) {
        try {
            return Math.max(-128, Math.min(127, Integer.parseInt(text.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
