package io.aviary.xep0050;

import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * One XEP-0050 command: a node, a name for disco#items, the form its first stage returns (none: it completes at once)
 * and what it does with the submitted form. Commands of this engine have at most two stages, form then completion,
 * which is what every XEP-0133 command needs.
 */
public interface AdHocCommand {

    String node();

    String name();

    /** Whether every account of the domain may run it (XEP-0401's user invitation), not only the administrators. */
    default boolean forEveryLocalUser() {
        return false;
    }

    /** The form to fill in; empty when the command needs no input and completes on the first execute. */
    Optional<DataForm> form();

    /**
     * Runs the command for {@code requester} with the submitted form (an empty submit form for a command without one).
     *
     * @throws CommandException when the input is not acceptable (a stanza error the requester sees)
     */
    Completed execute(EntityBareJid requester, DataForm submitted) throws CommandException;

    /** What a completed command tells its requester: a note and, for the queries, a result form. */
    record Completed(String note, DataForm result) {

        public static Completed note(String text) {
            return new Completed(text, null);
        }

        public static Completed result(DataForm form) {
            return new Completed(null, form);
        }
    }
}
