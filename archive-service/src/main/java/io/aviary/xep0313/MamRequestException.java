package io.aviary.xep0313;

import io.aviary.xmpp.stanza.StanzaErrorCondition;

/** A query or preferences request the server refuses, with the error condition XEP-0313/XEP-0441 name for it. */
final class MamRequestException extends RuntimeException {

    private final StanzaErrorCondition condition;

    MamRequestException(StanzaErrorCondition condition, String text) {
        super(text);
        this.condition = condition;
    }

    StanzaErrorCondition condition() {
        return condition;
    }
}
