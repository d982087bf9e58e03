package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;

/**
 * Processes presence stanzas the router hands to the server (RFC 6121: broadcasts without
 * {@code to}, subscription requests and probes). Every handler sees every such presence and acts
 * on the types it owns; handlers publish whatever the processing produces.
 */
public interface PresenceHandler {

    void handlePresence(Stanza presence);
}
