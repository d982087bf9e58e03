package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Who sent an IQ to the server and for whom it is meant: the server itself (its domain), or an
 * account on whose behalf the server answers (RFC 6120 §10.3.3: an IQ without {@code to} is
 * handled "on behalf of" the sender's account; §10.5.3.1 for one to a bare JID).
 *
 * @param requester the sender's account (bare JID), or null when the sender is not an account
 * @param account   the addressed account, or null when the IQ is for the server's domain
 */
public record IqAddress(EntityBareJid requester, EntityBareJid account) {

    /** Reads the addressing of a request; empty when {@code to} or {@code from} does not parse or names another host. */
    public static Optional<IqAddress> of(Stanza iq, DomainBareJid domain) {
        try {
            Jid from = iq.from();
            Jid to = iq.to();
            EntityBareJid requester = from == null ? null : from.asEntityBareJidIfPossible();
            if (to == null) {
                return Optional.of(new IqAddress(requester, requester));
            }
            if (to.equals(domain)) {
                return Optional.of(new IqAddress(requester, null));
            }
            EntityBareJid account = to.asEntityBareJidIfPossible();
            if (account == null || !account.asDomainBareJid().equals(domain)) {
                return Optional.empty();
            }
            return Optional.of(new IqAddress(requester, account));
        } catch (XmppStringprepException e) {
            return Optional.empty();
        }
    }

    public boolean toServer() {
        return account == null;
    }

    /** The sender asks about its own account. */
    public boolean toSelf() {
        return account != null && account.equals(requester);
    }
}
