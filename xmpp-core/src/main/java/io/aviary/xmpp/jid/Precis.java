package io.aviary.xmpp.jid;

import org.jxmpp.JxmppContext;
import org.jxmpp.stringprep.rocksxmppprecis.RocksXmppPrecisStringprep;

/**
 * Makes jxmpp prepare JIDs with the PRECIS profiles of RFC 7622 instead of its default simple
 * stringprep. jxmpp keeps this setting per process and caches prepared strings, so it is set once,
 * before any JID is parsed: every class of ours that parses JIDs touches {@link #ENABLED}.
 */
public final class Precis {

    public static final boolean ENABLED;

    static {
        JxmppContext.setDefaultXmppStringprep(RocksXmppPrecisStringprep.INSTANCE);
        ENABLED = true;
    }

    private Precis() {
    }

    /** Loads this class, and so switches jxmpp to PRECIS; calling it more than once is harmless. */
    public static boolean ensure() {
        return ENABLED;
    }
}
