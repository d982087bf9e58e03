package io.aviary.xmpp.sasl;

import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Authorization policy shared by all mechanisms. RFC 6120 §6.3.8: the authzid, if provided, is a
 * bare JID the client wants to act as. We allow no proxy authorization, so the only acceptable
 * authzid is the user's own bare JID; anything else is {@code invalid-authzid} (§6.5.6). Both sides
 * are compared after JID normalisation, so "User@Example.org" matches user@example.org.
 */
final class AuthorizationIdentity {

    private AuthorizationIdentity() {
    }

    /**
     * @param authzid what the client sent, or null/empty when it sent none.
     * @return the normalised bare JID when an authzid was given, empty otherwise.
     */
    static Optional<String> check(String authzid, String username, DomainBareJid domain) throws SaslFailure {
        if (authzid == null || authzid.isEmpty()) {
            return Optional.empty();
        }
        Jid requested;
        EntityBareJid own;
        try {
            // JidCreate.from, not entityBareFrom: the latter silently drops a resource, and
            // "user@domain/resource" is not the bare JID RFC 6120 §6.3.8 asks for.
            requested = JidCreate.from(authzid);
            own = JidCreate.entityBareFrom(Localpart.from(username), domain);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new SaslFailure(SaslFailureCondition.INVALID_AUTHZID, "authzid is not a valid JID", e);
        }
        if (!requested.isEntityBareJid() || !requested.equals(own)) {
            throw new SaslFailure(SaslFailureCondition.INVALID_AUTHZID, "user may only authorize as itself");
        }
        return Optional.of(own.toString());
    }
}
