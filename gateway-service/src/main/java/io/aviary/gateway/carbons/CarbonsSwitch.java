package io.aviary.gateway.carbons;

import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0280 §4 and §5: {@code <enable/>} and {@code <disable/>} in {@code urn:xmpp:carbons:2}, answered by the gateway
 * for the session that sent them, the one connection it knows. The state goes to the registry entry, where the
 * router reads it when it makes copies.
 */
public final class CarbonsSwitch {

    public static final String NAMESPACE = "urn:xmpp:carbons:2";

    private CarbonsSwitch() {
    }

    /**
     * The result for {@code iq} when it switches carbons for {@code session} (an IQ set with no {@code to} or to the
     * user's own bare JID), after recording it; empty for any other stanza, which is routed as usual (an enable
     * addressed to another JID is that entity's to answer, so no user switches another's copies).
     */
    public static Optional<Stanza> handle(Stanza iq, EntityFullJid session, String connectionId, SessionRegistry registry) {
        if (!iq.isIq() || !"set".equals(iq.type())) {
            return Optional.empty();
        }
        Jid to;
        try {
            to = iq.to();
        } catch (XmppStringprepException e) {
            return Optional.empty();
        }
        if (to != null && !to.equals(session.asEntityBareJid())) {
            return Optional.empty();
        }
        XmlElement payload = iq.payload().orElse(null);
        if (payload == null || !payload.namespace().equals(NAMESPACE)
                || !(payload.name().equals("enable") || payload.name().equals("disable"))) {
            return Optional.empty();
        }
        // §9.1: enabling twice (or disabling twice) is no error, just another result.
        registry.updateCarbons(session, connectionId, payload.name().equals("enable"));
        return Optional.of(iq.iqResult(null));
    }
}
