package io.aviary.xep0092;

import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0092 Software Version of the server: {@code <name/>}, {@code <version/>} and, only when the
 * operator allows it, {@code <os/>} (§2: "the &lt;os/&gt; element is OPTIONAL"; §5 warns that
 * revealing it "may make it easier for an attacker"). Requests to an account's bare JID are not
 * the server's to answer: {@code service-unavailable}, as for any unsupported IQ (RFC 6121 §8.5.1).
 */
public final class SoftwareVersion implements IqHandler {

    public static final String NAMESPACE = "jabber:iq:version";

    private final DomainBareJid domain;
    private final XmlElement answer;

    public SoftwareVersion(DomainBareJid domain, String name, String version, String os) {
        this.domain = domain;
        XmlElement.Builder query = XmlElement.builder("query", NAMESPACE).textChild("name", name).textChild("version", version);
        if (os != null) {
            query.textChild("os", os);
        }
        this.answer = query.build();
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        boolean toServer = IqAddress.of(iq, domain).map(IqAddress::toServer).orElse(false);
        if (!toServer) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if (!"get".equals(iq.type())) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        return iq.iqResult(answer);
    }
}
