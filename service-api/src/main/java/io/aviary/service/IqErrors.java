package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.List;

/** Error replies that leave the request's payload out (RFC 6120 §8.3.1 makes echoing it optional). */
public final class IqErrors {

    private IqErrors() {
    }

    /** For payloads not worth sending back (a too-large vCard) or that must not be (a password). */
    public static Stanza withoutPayload(Stanza iq, StanzaErrorCondition condition, String text) {
        Stanza bare = new Stanza(iq.kind(), iq.element().withChildren(List.of()));
        return bare.errorReply(text == null ? StanzaError.of(condition) : StanzaError.of(condition, text));
    }
}
