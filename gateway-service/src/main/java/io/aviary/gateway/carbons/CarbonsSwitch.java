package io.aviary.gateway.carbons;

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
     * Whether {@code iq} switches carbons on (true) or off (false) for {@code session}: an IQ set with no {@code to}
     * or to the user's own bare JID; empty for any other stanza, which is routed as usual (an enable addressed to
     * another JID is that entity's to answer, so no user switches another's copies). The caller records the switch
     * and answers with a result: §9.1, enabling twice (or disabling twice) is no error, just another result.
     */
    public static Optional<Boolean> requested(Stanza iq, EntityFullJid session) {
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
        return Optional.of(payload.name().equals("enable"));
    }
}
