package io.aviary.xep0191;

import io.aviary.service.StanzaFilter;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The effect of XEP-0191 on routing, applied by the router before its delivery rules.
 *
 * <p>Inbound, from a JID the addressed account blocks ("User Blocks Contact"): "For presence stanzas ... the server
 * MUST NOT respond and MUST NOT return an error. For message stanzas, the server SHOULD return an
 * error, which SHOULD be &lt;service-unavailable/&gt;. For IQ stanzas of type 'get' or 'set', the
 * server MUST return an error, which SHOULD be &lt;service-unavailable/&gt;. IQ stanzas of other
 * types MUST be silently dropped." Error messages are dropped too (never an error about an error).
 *
 * <p>Outbound, from an account to a JID it blocks: "the user's server MUST NOT route the stanza
 * to the contact but instead MUST return a &lt;not-acceptable/&gt; error containing an
 * application-specific error condition of &lt;blocked/&gt;". Presence (directed or the
 * presence capability's fan-out to the contact) is dropped without an error, and so are results
 * and errors, which must not be answered with errors (RFC 6120 §8.3.1).
 *
 * <p>A remote domain the operators blocked ({@link BlockedDomains}) is handled as if every account blocked it.
 */
public final class BlockingFilter implements StanzaFilter {

    public static final String ERRORS_NAMESPACE = "urn:xmpp:blocking:errors";

    private final DomainBareJid domain;
    private final BlockListStore store;
    private final BlockedDomains blockedDomains;

    public BlockingFilter(DomainBareJid domain, BlockListStore store) {
        this.domain = domain;
        this.store = store;
        this.blockedDomains = new BlockedDomains(store);
    }

    @Override
    public Verdict check(Stanza stanza) {
        Jid from;
        Jid to;
        try {
            from = stanza.from();
            to = stanza.to();
        } catch (XmppStringprepException e) {
            return PASS; // the delivery rules answer malformed addresses
        }
        if (from == null || to == null) {
            return PASS;
        }
        // A domain the operators blocked is treated as every account blocking it.
        BlockList blockedByServer = blockedDomains.list();
        if (blockedByServer.blocks(from)) {
            return inbound(stanza);
        }
        if (blockedByServer.blocks(to)) {
            return outbound(stanza);
        }
        EntityBareJid recipient = localAccount(to);
        if (recipient != null && listOf(recipient).blocks(from)) {
            return inbound(stanza);
        }
        EntityBareJid sender = localAccount(from);
        // Unavailable presence still goes out: XEP-0191 §3.3 sends it to the contact on block.
        boolean unavailable = stanza.isPresence() && "unavailable".equals(stanza.type());
        if (sender != null && !unavailable && !sender.equals(to.asBareJid()) && listOf(sender).blocks(to)) {
            return outbound(stanza);
        }
        return PASS;
    }

    private static Verdict inbound(Stanza stanza) {
        if (answerable(stanza)) {
            return new Reply(stanza.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
        }
        return new Drop("from a blocked JID");
    }

    private static Verdict outbound(Stanza stanza) {
        if (answerable(stanza)) {
            Stanza error = stanza.errorReply(StanzaErrorCondition.NOT_ACCEPTABLE);
            XmlElement reply = error.element();
            XmlElement condition = reply.child("error", Stanza.CLIENT_NAMESPACE).orElseThrow()
                    .withChild(XmlElement.empty("blocked", ERRORS_NAMESPACE));
            return new Reply(reply.withoutChildren("error", Stanza.CLIENT_NAMESPACE).withChild(condition));
        }
        return new Drop("to a blocked JID");
    }

    /** Messages that are not errors, and IQ requests; never presence. */
    private static boolean answerable(Stanza stanza) {
        return switch (stanza.kind()) {
            case MESSAGE -> !stanza.isError();
            case IQ -> "get".equals(stanza.type()) || "set".equals(stanza.type());
            case PRESENCE -> false;
        };
    }

    private BlockList listOf(EntityBareJid account) {
        return new BlockList(store.blocked(account.getLocalpart().toString()));
    }

    private EntityBareJid localAccount(Jid address) {
        EntityBareJid account = address.asEntityBareJidIfPossible();
        return account != null && account.asDomainBareJid().equals(domain) ? account : null;
    }
}
