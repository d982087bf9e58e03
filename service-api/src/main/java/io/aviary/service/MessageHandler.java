package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;

/**
 * Processes messages the router hands to the server, for example a chat message for an account
 * with no available resource, which offline storage keeps (RFC 6121 §8.5.2.2.1, XEP-0160).
 */
public interface MessageHandler {

    void handleMessage(Stanza message);
}
