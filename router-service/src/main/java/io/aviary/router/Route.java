package io.aviary.router;

import io.aviary.archive.ArchiveRecord;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.xml.XmlElement;

/** What the router decided to do with one stanza. */
public sealed interface Route {

    /** Hand the stanza to one bound session through its gateway. */
    record Deliver(SessionEntry session, XmlElement stanza) implements Route {
    }

    /** The server itself answers on behalf of the domain or account (RFC 6120 §10.3, §10.5.3.1). */
    record ToService(XmlElement stanza) implements Route {
    }

    /**
     * Hand the stanza to the federation tier ({@link io.aviary.bus.Topics#S2S}), keyed by the remote domain whose
     * outgoing stream carries it (RFC 6120 §10.4): a domain that is neither this server's nor one of its hosted services.
     */
    record ToRemote(XmlElement stanza, String domain) implements Route {
    }

    /** Send an error (or other reply) back towards the sender. */
    record Reply(XmlElement stanza) implements Route {
    }

    /** Hand a message to its owner's archive (XEP-0313), on {@link io.aviary.bus.Topics#ARCHIVE}. */
    record Archive(ArchiveRecord record) implements Route {
    }

    /** Silently ignore, as the RFC requires for some cases (for example errors about errors). */
    record Drop(String reason) implements Route {
    }
}
