package io.aviary.session.resumption;

import io.aviary.xmpp.xml.XmlElement;

/** A stanza in a session's resumption queue and its position there. */
public record QueuedStanza(long position, XmlElement stanza) {
}
