package io.aviary.gateway.stream;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.Set;
import org.jxmpp.stringprep.XmppStringprepException;

/** Syntax rules a client stanza must meet before it is routed (RFC 6120 §8.1-§8.2). */
final class StanzaChecks {

    private static final Set<String> IQ_TYPES = Set.of("get", "set", "result", "error");

    private StanzaChecks() {
    }

    /** The error condition the stanza deserves, or null when it may be routed. */
    static StanzaErrorCondition problem(Stanza stanza) {
        try {
            stanza.to();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            return StanzaErrorCondition.JID_MALFORMED;
        }
        if (stanza.isIq()) {
            // RFC 6120 §8.2.3: id and type are required; get and set carry exactly one payload.
            if (stanza.id() == null || stanza.type() == null || !IQ_TYPES.contains(stanza.type())) {
                return StanzaErrorCondition.BAD_REQUEST;
            }
            boolean request = stanza.type().equals("get") || stanza.type().equals("set");
            if (request && stanza.element().elements().count() != 1) {
                return StanzaErrorCondition.BAD_REQUEST;
            }
        }
        if (stanza.isPresence()) {
            String priority = stanza.element().childText("priority", Namespaces.CLIENT).orElse(null);
            if (priority != null && !priority.trim().matches("[+-]?[0-9]{1,3}")) {
                return StanzaErrorCondition.BAD_REQUEST;
            }
        }
        return null;
    }

    /** RFC 6121 §4.7.2.3: an integer between -128 and +127, clamped when outside. */
    static int priority(String text) {
        try {
            return Math.max(-128, Math.min(127, Integer.parseInt(text.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
