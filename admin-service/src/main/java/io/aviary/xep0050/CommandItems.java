package io.aviary.xep0050;

import io.aviary.service.IqHandler;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0050 §2.2: disco#items of the node {@code http://jabber.org/protocol/commands} at the domain lists the commands the
 * requester may execute ("the responding entity MAY return different items for different requesters"): every command
 * for an administrator, none for anyone else. The router sends only this node's disco#items here
 * ({@code Declaration#itemNodes}).
 */
public final class CommandItems implements IqHandler {

    private final AdHocCommands commands;

    public CommandItems(AdHocCommands commands) {
        this.commands = commands;
    }

    @Override
    public String namespace() {
        return DiscoInfo.ITEMS;
    }

    @Override
    public Stanza handle(Stanza iq) {
        String node = iq.payload().map(q -> q.attributeOrNull("node")).orElse(null);
        if (!"get".equals(iq.type()) || !AdHocCommands.NAMESPACE.equals(node)) {
            return iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        XmlElement.Builder query = XmlElement.builder("query", DiscoInfo.ITEMS).attribute("node", node);
        for (AdHocCommand command : commands.commandsFor(requester(iq))) {
            query.child(XmlElement.builder("item", DiscoInfo.ITEMS).attribute("jid", iq.toAttribute())
                    .attribute("node", command.node()).attribute("name", command.name()).build());
        }
        return iq.iqResult(query.build());
    }

    private static EntityBareJid requester(Stanza iq) {
        try {
            Jid from = iq.from();
            return from == null ? null : from.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
