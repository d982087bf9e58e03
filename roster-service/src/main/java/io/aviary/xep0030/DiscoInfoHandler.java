package io.aviary.xep0030;

import io.aviary.service.AccountVisibility;
import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0030 disco#info for the domain and, on an account's behalf, for its bare JID.
 *
 * <p>For an account, rule 1 of "Security Considerations": "the server MUST return a &lt;service-unavailable/&gt; error if
 * ... the target entity does not exist ... [or] the requesting entity is not authorized to
 * receive presence from the target entity". Otherwise the answer is identity
 * {@code account/registered} with the features the server implements at account addresses.
 * A {@code node} is answered only for the domain's XEP-0115 caps node ({@code node#ver}).
 */
public final class DiscoInfoHandler implements IqHandler {

    private final DomainBareJid domain;
    private final Supplier<DiscoInfo> server;
    private final DiscoInfo account;
    private final AccountVisibility visibility;
    private final Predicate<String> knownNode;

    public DiscoInfoHandler(DomainBareJid domain, Supplier<DiscoInfo> server, Set<String> accountFeatures,
                            AccountVisibility visibility, Predicate<String> knownNode) {
        this.domain = domain;
        this.server = server;
        this.account = new DiscoInfo(List.of(new DiscoInfo.Identity("account", "registered", null)), accountFeatures);
        this.visibility = visibility;
        this.knownNode = knownNode;
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
        if (address.toServer()) {
            if (node != null && !knownNode.test(node)) {
                return iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
            }
            return iq.iqResult(server.get().toQuery(node));
        }
        if (node != null || !visibility.allowed(address)) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        return iq.iqResult(account.toQuery(null));
    }
}
