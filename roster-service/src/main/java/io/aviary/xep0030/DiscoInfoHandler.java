package io.aviary.xep0030;

import io.aviary.account.AccountVisibility;
import io.aviary.capability.ServerDescription;
import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.disco.DiscoInfo;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0030 disco#info for the domain and, on an account's behalf, for its bare JID.
 *
 * <p>For an account, rule 1 of "Security Considerations": "the server MUST return a &lt;service-unavailable/&gt; error if
 * ... the target entity does not exist ... [or] the requesting entity is not authorized to
 * receive presence from the target entity". Otherwise the answer is identity
 * {@code account/registered} with the features the server implements at account addresses. Both answers come
 * from the capabilities' declarations ({@link ServerDescription}). A {@code node} is answered only for the
 * domain's XEP-0115 caps node ({@code node#ver}).
 */
public final class DiscoInfoHandler implements IqHandler {

    private final DomainBareJid domain;
    private final Supplier<ServerDescription> server;
    private final AccountVisibility visibility;

    public DiscoInfoHandler(DomainBareJid domain, Supplier<ServerDescription> server, AccountVisibility visibility) {
        this.domain = domain;
        this.server = server;
        this.visibility = visibility;
    }

    @Override
    public String namespace() {
        return DiscoInfo.INFO;
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
        String node = iq.payload().map(q -> q.attributeOrNull("node")).orElse(null);
        ServerDescription description = server.get();
        if (address.toServer()) {
            if (node != null && !description.capsNode().filter(node::equals).isPresent()) {
                return iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
            }
            return iq.iqResult(description.discoInfo().toQuery(node));
        }
        if (node != null || !visibility.allowed(address)) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        return iq.iqResult(description.accountDiscoInfo().toQuery(null));
    }
}
