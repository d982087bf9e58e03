package io.aviary.service;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;

/**
 * A check the router makes on every stanza before its delivery rules (like a Prosody
 * {@code pre-*} hook): a capability can stop a stanza, answer it with an error, or only observe it.
 * Filters run in bean order; the first that does not pass decides.
 */
public interface StanzaFilter {

    Verdict check(Stanza stanza);

    /** What happens to a stanza. */
    sealed interface Verdict {
    }

    /** Route it as usual. */
    record Pass() implements Verdict {
    }

    /** Route nothing; the reason is for the debug log. */
    record Drop(String reason) implements Verdict {
    }

    /** Route this reply (usually an error to the sender) instead of the stanza. */
    record Reply(XmlElement stanza) implements Verdict {
    }

    Verdict PASS = new Pass();
}
