package io.aviary.xep0050;

import io.aviary.xmpp.stanza.StanzaErrorCondition;

/**
 * A command refused its input (XEP-0050 §6, "Error Conditions"): a stanza error condition, the specific condition in
 * the commands namespace when there is one ({@code bad-payload}, {@code bad-sessionid}, ...) and a text for a person.
 */
public final class CommandException extends Exception {

    private final StanzaErrorCondition condition;
    private final String specific;

    public CommandException(StanzaErrorCondition condition, String specific, String text) {
        super(text);
        this.condition = condition;
        this.specific = specific;
    }

    /** {@code bad-request} with {@code <bad-payload/>}: a required field is missing or a value is not acceptable. */
    public static CommandException badPayload(String text) {
        return new CommandException(StanzaErrorCondition.BAD_REQUEST, "bad-payload", text);
    }

    public StanzaErrorCondition condition() {
        return condition;
    }

    /** The element name of the commands-specific condition, or null. */
    public String specific() {
        return specific;
    }
}
