package io.aviary.xmpp.sasl;

import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * RFC 6120 §6.3.7: for SCRAM and PLAIN the authentication identity is a "simple user name", which
 * for an XMPP server is the localpart of the account's bare JID. We normalise it with jxmpp's
 * localprep (the process-wide {@code JxmppContext}, so it matches how JIDs are normalised
 * elsewhere) before looking it up.
 */
final class Usernames {

    private static final boolean PRECIS = io.aviary.xmpp.jid.Precis.ensure();


    private Usernames() {
    }

    /**
     * @throws SaslFailure not-authorized when the name cannot be a localpart: no such account can
     *     exist, and the generic condition avoids explaining more.
     */
    static String normalize(String username) throws SaslFailure {
        try {
            return Localpart.from(username).toString();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED, "username is not a valid localpart", e);
        }
    }
}
