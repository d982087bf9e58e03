package io.aviary.xep0133;

import io.aviary.xep0050.AdHocCommand;
import io.aviary.xep0050.CommandException;
import io.aviary.xep0050.DataForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * One XEP-0133 command: its node under {@code http://jabber.org/protocol/admin#}, its name, its form's fields (none: it
 * completes at once) and what it does with the submitted form. Every form carries the hidden {@code FORM_TYPE} of §3.
 */
record AdminCommand(String node, String name, String instructions, List<DataForm.Field> fields, Action action)
        implements AdHocCommand {

    static final String FORM_TYPE = "http://jabber.org/protocol/admin";

    @FunctionalInterface
    interface Action {
        Completed run(EntityBareJid requester, DataForm submitted) throws CommandException;
    }

    static AdminCommand of(String command, String name, String instructions, List<DataForm.Field> fields, Action action) {
        return new AdminCommand(FORM_TYPE + "#" + command, name, instructions, fields, action);
    }

    @Override
    public Optional<DataForm> form() {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        List<DataForm.Field> all = new ArrayList<>();
        all.add(DataForm.Field.hidden("FORM_TYPE", FORM_TYPE));
        all.addAll(fields);
        return Optional.of(DataForm.form(name, instructions, all));
    }

    @Override
    public Completed execute(EntityBareJid requester, DataForm submitted) throws CommandException {
        return action.run(requester, submitted);
    }

    /** A completed command's result form (the get-*-num and list commands), with the FORM_TYPE. */
    static Completed result(String title, DataForm.Field... fields) {
        List<DataForm.Field> all = new ArrayList<>();
        all.add(DataForm.Field.hidden("FORM_TYPE", FORM_TYPE));
        all.addAll(List.of(fields));
        return Completed.result(DataForm.result(title, all));
    }
}
