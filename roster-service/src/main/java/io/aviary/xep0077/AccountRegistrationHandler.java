package io.aviary.xep0077;

import io.aviary.account.Accounts;
import io.aviary.account.InBandRegistration;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.EventSink;
import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.session.AccountRemoval;
import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0077 {@code jabber:iq:register} for an authenticated account (the pre-authentication part is
 * {@link InBandRegistration}, run by the gateway).
 * <ul>
 * <li>get: {@code <registered/>} and the username (§3.1 "Host Informs Entity of Current
 *     Registration"; the password is never sent, we do not have it);</li>
 * <li>password change (§3.3), {@code <username/>} and {@code <password/>}: an empty password
 *     "MUST NOT change the password ... but instead MUST maintain the existing password", so
 *     {@code bad-request} like a missing element; another account's username: {@code forbidden};
 *     a password we refuse (too long, PRECIS OpaqueString): {@code not-acceptable};</li>
 * <li>cancellation (§3.2), {@code <remove/>}: {@code bad-request} when it is not "the only child
 *     element"; otherwise the account is deleted, every listener of {@code account.removed} drops its data,
 *     the requesting resource gets the result and then every session of the account ends with a
 *     {@code not-authorized} stream error ("the server SHOULD then return a &lt;not-authorized/&gt;
 *     stream error and terminate all active sessions for the entity");</li>
 * <li>to another account: {@code forbidden}; either operation turned off by configuration:
 *     {@code not-allowed}.</li>
 * </ul>
 * Errors never echo the request, which may carry a password (§3.3 "SHOULD NOT return the original XML").
 */
public final class AccountRegistrationHandler implements IqHandler {

    private static final Logger log = LoggerFactory.getLogger(AccountRegistrationHandler.class);
    private static final String NS = InBandRegistration.NAMESPACE;

    private final DomainBareJid domain;
    private final Accounts accounts;
    private final SessionRegistry sessions;
    private final AccountRemoval removal;
    private final RegistrationProperties properties;

    public AccountRegistrationHandler(DomainBareJid domain, Accounts accounts, EventSink events,
                                      SessionRegistry sessions, StanzaBus bus, RegistrationProperties properties) {
        this.domain = domain;
        this.accounts = accounts;
        this.sessions = sessions;
        this.removal = new AccountRemoval(sessions, bus, events);
        this.properties = properties;
    }

    @Override
    public String namespace() {
        return NS;
    }

    /**
     * The reply, or null for a cancellation: its result goes with the stream error to the session's own
     * gateway, which writes it just before the error, so that the client sees it before the stream ends.
     */
    @Override
    public Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null || address.requester() == null || !(address.toServer() || address.toSelf())) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, null);
        }
        XmlElement query = iq.payload().filter(p -> p.is("query", NS)).orElse(null);
        if (query == null) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null);
        }
        EntityBareJid account = address.requester();
        String username = account.getLocalpart().toString();
        if ("get".equals(iq.type())) {
            return iq.iqResult(XmlElement.builder("query", NS)
                    .child(XmlElement.empty("registered", NS)).textChild("username", username).build());
        }
        if (query.child("remove", NS).isPresent()) {
            return cancel(iq, query, account);
        }
        return changePassword(iq, query, username);
    }

    private Stanza changePassword(Stanza iq, XmlElement query, String username) {
        if (!properties.passwordChange()) {
            return error(iq, StanzaErrorCondition.NOT_ALLOWED, "Password changes are disabled on this server.");
        }
        String requested = query.childText("username", NS).orElse("");
        String password = query.childText("password", NS).orElse("");
        if (requested.isEmpty() || password.isEmpty()) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "Both username and password are required.");
        }
        if (!Accounts.normalize(requested).map(username::equals).orElse(false)) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, "You can change only your own password.");
        }
        Accounts.Result result = accounts.changePassword(username, password);
        return switch (result.outcome()) {
            case PASSWORD_CHANGED -> iq.iqResult(null);
            case EMPTY_PASSWORD, PASSWORD_TOO_LONG, INVALID_PASSWORD ->
                    error(iq, StanzaErrorCondition.NOT_ACCEPTABLE, result.message());
            default -> error(iq, StanzaErrorCondition.REGISTRATION_REQUIRED, null);
        };
    }

    private Stanza cancel(Stanza iq, XmlElement query, EntityBareJid account) {
        if (query.elements().count() != 1) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "<remove/> must be the only child element.");
        }
        if (!properties.cancel()) {
            return error(iq, StanzaErrorCondition.NOT_ALLOWED, "Accounts can't be cancelled in-band on this server.");
        }
        if (!accounts.delete(account.getLocalpart().toString()).ok()) {
            return error(iq, StanzaErrorCondition.REGISTRATION_REQUIRED, null);
        }
        Optional<SessionEntry> requester = requestingSession(iq);
        // The session that asked gets the result with its stream error, in one message (see CONTROL_ACCOUNT_REMOVED).
        removal.removed(account, session -> requester.filter(r -> r.connectionId().equals(session.connectionId()))
                .isPresent() ? iq.iqResult(null).element() : XmlElement.empty("account-removed", Stanza.CLIENT_NAMESPACE));
        return requester.isEmpty() ? iq.iqResult(null) : null;
    }

    private Optional<SessionEntry> requestingSession(Stanza iq) {
        try {
            Jid from = iq.from();
            EntityFullJid full = from == null ? null : from.asEntityFullJidIfPossible();
            return full == null ? Optional.empty() : sessions.session(full);
        } catch (XmppStringprepException e) {
            return Optional.empty();
        }
    }

    private static Stanza error(Stanza iq, StanzaErrorCondition condition, String text) {
        return IqErrors.withoutPayload(iq, condition, text);
    }
}
