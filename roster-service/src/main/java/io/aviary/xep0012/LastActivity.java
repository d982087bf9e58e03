package io.aviary.xep0012;

import io.aviary.account.AccountVisibility;
import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

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
 * Logouts are recorded on the presence capability's {@code presence.unavailable} event: an
 * available resource that sent unavailable presence, with that presence's status.
 */
public final class LastActivity implements IqHandler {

    public static final String NAMESPACE = "jabber:iq:last";

    private final DomainBareJid domain;
    private final LastActivityStore store;
    private final SessionRegistry sessions;
    private final AccountVisibility visibility;
    private final Clock clock;
    private final Instant started;

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

    public void resourceUnavailable(EntityFullJid resource, XmlElement presence) {
        EntityBareJid account = resource.asEntityBareJid();
        // A cancelled account's sessions end after its data is gone: record nothing for it.
        if (account.asDomainBareJid().equals(domain) && visibility.exists(account)) {
            String status = presence.childText("status", Stanza.CLIENT_NAMESPACE).orElse(null);
            store.record(account.getLocalpart().toString(), new LastActivityStore.Logout(clock.instant(), status));
        }
    }

    public void accountDeleted(EntityBareJid account) {
        store.delete(account.getLocalpart().toString());
    }

    private long secondsSince(Instant then) {
        return Math.max(0, Duration.between(then, clock.instant()).getSeconds());
    }

    private static XmlElement query(long seconds, String status) {
        return XmlElement.builder("query", NAMESPACE).attribute("seconds", Long.toString(seconds)).text(status).build();
    }
}
