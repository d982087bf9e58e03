package io.aviary.presence;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Objects;
import org.jxmpp.jid.EntityFullJid;

/**
 * The last available presence of one resource (RFC 6121 §4.4.2: what a probe is answered with).
 *
 * @param resource the full JID
 * @param presence the presence stanza as broadcast, with {@code from} and without {@code to}
 * @param priority its priority (RFC 6121 §4.7.2.3), 0 when absent
 */
public record ResourcePresence(EntityFullJid resource, XmlElement presence, int priority) {

    public ResourcePresence {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(presence, "presence");
    }
}
