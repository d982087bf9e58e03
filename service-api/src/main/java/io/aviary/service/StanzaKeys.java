package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
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

    /** The key of a stanza from a client: its {@code to} account, or its sender's when {@code to} has no localpart. */
    public static String routeKey(Stanza stanza) {
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
}
