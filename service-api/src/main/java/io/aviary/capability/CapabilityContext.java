package io.aviary.capability;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * The server seen from a capability, the stable part of the plugin SPI: everything a plugin may use, so it never
 * needs the server's internals (docs/plugins.md).
 */
public interface CapabilityContext extends EventSink {

    /** The XMPP domain served. */
    DomainBareJid domain();

    /** Routes a stanza (with {@code from} and {@code to}) like any other: to sessions, offline storage or a service. */
    void send(XmlElement stanza);

    /** Emits a named event to the capabilities of this process that listen to it. */
    @Override
    <T> void emit(EventType<T> event, T payload);

    /** A durable key-value store of this capability's own, by name (Prosody's {@code module:open_store}). */
    KeyValueStore store(String name);

    /** A setting: {@code aviary.capabilities.<capability>.<key>} of the server's configuration. */
    Optional<String> setting(String key);
}
