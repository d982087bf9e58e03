package io.aviary.bench.jmh;

import io.aviary.session.SessionEntry;
import io.aviary.session.SessionRegistry;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/** Fills a registry with one available session per account, as a loaded gateway would. */
final class Sessions {

    private Sessions() {
    }

    static EntityBareJid bare(int n) {
        try {
            return JidCreate.entityBareFrom(Stanzas.account(n));
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static EntityFullJid full(int n) {
        try {
            return JidCreate.entityFullFrom(Stanzas.account(n) + "/phone");
        } catch (XmppStringprepException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Accounts 1..count, each with resource "phone" bound on gateway "gw-1" and available. */
    static void fill(SessionRegistry registry, int count) {
        for (int n = 1; n <= count; n++) {
            EntityFullJid jid = full(n);
            registry.bind(SessionEntry.bound(jid, "gw-1", "c-" + n));
            registry.updatePresence(jid, "c-" + n, 0, true);
        }
    }
}
