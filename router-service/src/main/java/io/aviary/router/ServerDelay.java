package io.aviary.router;

import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.DomainBareJid;

/**
 * Whether a message is one the server sends again with its own XEP-0203 delay stamp (offline redelivery, the
 * re-routing of a session that was never resumed): it was copied and archived, or found nobody, the first time.
 */
public final class ServerDelay {

    public static final String NAMESPACE = "urn:xmpp:delay";

    private ServerDelay() {
    }

    public static boolean isResent(XmlElement message, DomainBareJid domain) {
        return message.anyChild(child -> child.is("delay", NAMESPACE)
                && child.attribute("from").filter(domain.toString()::equals).isPresent());
    }
}
