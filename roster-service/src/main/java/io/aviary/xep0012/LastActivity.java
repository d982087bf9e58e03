package io.aviary.xep0012;

import io.aviary.account.AccountListener;
import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.service.StanzaFilter;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.service.AccountVisibility;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0012 Last Activity, answered by the server.
 * <ul>
 * <li>to the domain: {@code seconds} is the server's uptime ("Server and Component Query");</li>
 * <li>to an account: seconds since its last resource went offline, with the status text of that
 *     unavailable presence ("Offline User Query"); {@code 0} while it has an available resource ("the response
 *     SHOULD contain an empty &lt;query/&gt; element whose 'seconds' attribute is set to a value
 *     of '0'"); {@code item-not-found} if it has never been offline since the server began
 *     recording. Only the account itself and contacts that receive its presence may ask: "a
 *     server MUST NOT return last activity information to an entity that is not authorized to
 *     view the user's presence information ... and MUST return a 'Forbidden' error". (An
 *     IQ to an account that does not exist is answered by the router with
 *     {@code service-unavailable}, RFC 6121 §8.5.1, before it gets here.)</li>
 * </ul>
 * Logouts are recorded by watching, as a router {@link StanzaFilter} that never stops anything,
 * the broadcast presence (no {@code to}) of each resource: an unavailable presence that follows an
 * available one is a logout.
 */
public final class LastActivity implements IqHandler, StanzaFilter, AccountListener {

    public static final String NAMESPACE = "jabber:iq:last";

    private final DomainBareJid domain;
    private final LastActivityStore store;
    private final SessionRegistry sessions;
    private final AccountVisibility visibility;
    private final Clock clock;
    private final Instant started;
    /** Full JIDs whose last broadcast presence was available; one router sees all of an account's (bus key). */
    private final Set<String> availableResources = ConcurrentHashMap.newKeySet();

    public LastActivity(DomainBareJid domain, LastActivityStore store, SessionRegistry sessions,
                        AccountVisibility visibility, Clock clock) {
        this.domain = domain;
        this.store = store;
        this.sessions = sessions;
        this.visibility = visibility;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        if (!"get".equals(iq.type())) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if (address.toServer()) {
            return iq.iqResult(query(secondsSince(started), null));
        }
        if (!visibility.allowed(address)) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        if (sessions.sessions(address.account()).stream().anyMatch(SessionEntry::available)) {
            return iq.iqResult(query(0, null));
        }
        return store.last(address.account().getLocalpart().toString())
                .map(logout -> iq.iqResult(query(secondsSince(logout.at()), logout.status())))
                .orElseGet(() -> iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND));
    }

    @Override
    public Verdict check(Stanza stanza) {
        if (!stanza.isPresence() || stanza.toAttribute() != null) {
            return PASS;
        }
        EntityBareJid account = localAccount(stanza);
        if (account == null) {
            return PASS;
        }
        if (stanza.type() == null) {
            availableResources.add(stanza.fromAttribute());
        } else if ("unavailable".equals(stanza.type())
                // Only the presence that ends availability counts: the gateway repeats an
                // unavailable presence, without status, when the connection closes.
                && availableResources.remove(stanza.fromAttribute())
                // A cancelled account's sessions end after its data is gone: record nothing for it.
                && visibility.exists(account)) {
            String status = stanza.element().childText("status", Stanza.CLIENT_NAMESPACE).orElse(null);
            store.record(account.getLocalpart().toString(), new LastActivityStore.Logout(clock.instant(), status));
        }
        return PASS;
    }

    @Override
    public void accountDeleted(EntityBareJid account) {
        store.delete(account.getLocalpart().toString());
    }

    private EntityBareJid localAccount(Stanza stanza) {
        try {
            Jid from = stanza.from();
            EntityBareJid account = from == null ? null : from.asEntityBareJidIfPossible();
            return account != null && account.asDomainBareJid().equals(domain) ? account : null;
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private long secondsSince(Instant then) {
        return Math.max(0, Duration.between(then, clock.instant()).getSeconds());
    }

    private static XmlElement query(long seconds, String status) {
        return XmlElement.builder("query", NAMESPACE).attribute("seconds", Long.toString(seconds)).text(status).build();
    }
}
