package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;

/**
 * Processes messages the router hands to the server, for example a chat message for an account
 * with no available resource, which offline storage keeps (RFC 6121 §8.5.2.2.1, XEP-0160).
 */
public interface MessageHandler {

    void handleMessage(Stanza message);

    /**
     * The message with the bus headers it came with, for handlers that need them (an
     * {@link io.aviary.archive.ArchiveRecord} is a message with headers); the others implement only
     * {@link #handleMessage(Stanza)}.
     */
    default void handleMessage(Stanza message, io.aviary.bus.BusMessage delivery) {
        handleMessage(message);
    }
}
