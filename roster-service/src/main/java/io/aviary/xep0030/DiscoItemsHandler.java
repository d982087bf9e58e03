package io.aviary.xep0030;

import io.aviary.account.AccountVisibility;
import io.aviary.capability.HostedService;
import io.aviary.capability.ServerDescription;
import io.aviary.service.IqAddress;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;

/**
 * XEP-0030 disco#items. The domain's items are the server's hosted services ({@code upload.<domain>}), from the
 * declarations of the whole server; with none the list is empty ("if an entity has no associated items, it MUST
 * return an empty &lt;query/&gt; element", "Error Conditions").
 * For an account, rule 2 of "Security Considerations" asks for an empty result when the account
 * does not exist or the requester may not see its presence (the router hands this request over even for an
 * account that does not exist, see {@code DeliveryRules}); available resources are not listed to anyone. The
 * items are the account's PEP nodes the requester may read (XEP-0163 §6.2, {@link AccountNodes}).
 */
public final class DiscoItemsHandler implements IqHandler {

    private final DomainBareJid domain;
    private final Supplier<ServerDescription> server;
    private final AccountVisibility visibility;
    private final AccountNodes nodes;

    public DiscoItemsHandler(DomainBareJid domain, Supplier<ServerDescription> server, AccountVisibility visibility,
                             AccountNodes nodes) {
        this.domain = domain;
        this.server = server;
        this.visibility = visibility;
        this.nodes = nodes;
    }

    @Override
    public String namespace() {
        return DiscoInfo.ITEMS;
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
        if (address.toServer() && node != null) {
            return iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        XmlElement.Builder query = XmlElement.builder("query", DiscoInfo.ITEMS).attribute("node", node);
        if (!address.toServer() && node == null && visibility.allowed(address)) {
            String account = address.account().toString();
            for (String pep : nodes.visible(account, address.toSelf())) {
                query.child(XmlElement.builder("item", DiscoInfo.ITEMS).attribute("jid", account)
                        .attribute("node", pep).build());
            }
        }
        if (address.toServer()) {
            for (HostedService service : server.get().services()) {
                query.child(XmlElement.builder("item", DiscoInfo.ITEMS).attribute("jid", service.address().toString())
                        .attribute("name", service.name()).build());
            }
        }
        return iq.iqResult(query.build());
    }
}
