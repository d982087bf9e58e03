package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;

/**
 * Answers IQ requests with one payload namespace addressed to the server or to an account's bare
 * JID (like Prosody's {@code iq-get/host/<namespace>} hooks). One handler per namespace.
 */
public interface IqHandler {

    /** The namespace of the payload element this handler answers. */
    String namespace();

    /** The reply (result or error) to an IQ get or set; {@code iq} carries the sender's full JID in {@code from}. */
    Stanza handle(Stanza iq);

    /**
     * A result or error answering an IQ this handler's capability sent with an id made by
     * {@link io.aviary.bus.Topics#replyId} for the topic it runs on (a XEP-0357 notification's): the router routes such
     * replies back to that topic, where every IQ handler of the topic sees them and ignores ids it did not make.
     */
    default void handleReply(Stanza reply) {
    }
}
