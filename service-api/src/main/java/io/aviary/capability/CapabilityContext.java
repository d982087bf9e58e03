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

    /**
     * A store of state derived from presences (who is available, with which caps), which means nothing once they have
     * ended: kept in memory where one process holds every session (the standalone server, where it would otherwise be
     * a database commit at each login and logout, and stale after a crash), in the database where the processes of a
     * cluster share it and it outlives any one of them. Declared like {@link #store}.
     */
    KeyValueStore presenceStore(String name);

    /** A setting: {@code aviary.capabilities.<capability>.<key>} of the server's configuration. */
    Optional<String> setting(String key);
}
