package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
import java.util.Set;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/** Bus keys: the bare JID whose state a stanza touches (design.md, "One stanza's way"). */
public final class StanzaKeys {

    private StanzaKeys() {
    }

    /** The bare form of an address; the address itself when it does not parse, "" when absent. */
    public static String bareOf(String address) {
        if (address == null) {
            return "";
        }
        try {
            Jid jid = JidCreate.from(address);
            return jid.asBareJid().toString();
        } catch (XmppStringprepException e) {
            return address;
        }
    }

    private static final Set<String> SUBSCRIPTION_TYPES = Set.of("subscribe", "subscribed", "unsubscribe", "unsubscribed");

    /**
     * The key of a stanza: its {@code to} account, or its sender's when {@code to} has no localpart. A subscription
     * presence from a client's full JID is outbound (RFC 6121 §3): the first state it touches is the sender's roster, so
     * it takes the sender's key. Every change to one account's roster, its own requests and the contacts' answers alike,
     * then happens in that account's lane, and its roster pushes go out in version order.
     */
    public static String routeKey(Stanza stanza) {
        if (isOutboundSubscription(stanza)) {
            return bareOf(stanza.fromAttribute());
        }
        String to = stanza.toAttribute();
        if (to != null) {
            try {
                Jid target = JidCreate.from(to);
                if (target.hasLocalpart()) {
                    return target.asBareJid().toString();
                }
            } catch (XmppStringprepException e) {
                // fall back to the sender's key
            }
        }
        return bareOf(stanza.fromAttribute());
    }

    private static boolean isOutboundSubscription(Stanza stanza) {
        if (!stanza.isPresence() || stanza.type() == null || !SUBSCRIPTION_TYPES.contains(stanza.type())
                || stanza.fromAttribute() == null) {
            return false;
        }
        try {
            return JidCreate.from(stanza.fromAttribute()).hasResource();
        } catch (XmppStringprepException e) {
            return false;
        }
    }
}
