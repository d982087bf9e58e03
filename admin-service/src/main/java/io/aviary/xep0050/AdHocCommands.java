package io.aviary.xep0050;

import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0050 Ad-Hoc Commands at the domain: executes {@link AdHocCommand}s for requesters {@code mayExecute} accepts
 * (others get {@code forbidden}, §4.3's "the requester is not authorized"), with the two-stage flow of §3.4: an
 * {@code execute} without a session gets the command's form with a {@code sessionid} and status {@code executing};
 * {@code complete} or {@code execute} with that session and a submitted form runs it (status {@code completed});
 * {@code cancel} ends the session (status {@code canceled}). A first request that already carries a submitted form
 * is run at once (clients that know the form skip a round trip).
 */
public final class AdHocCommands implements IqHandler {

    public static final String NAMESPACE = "http://jabber.org/protocol/commands";

    private static final Set<String> ACTIONS = Set.of("execute", "complete", "cancel", "next", "prev");

    private final Map<String, AdHocCommand> commands = new LinkedHashMap<>();
    private final Predicate<EntityBareJid> mayExecute;
    private final Predicate<EntityBareJid> localUser;
    private final CommandSessions sessions;

    /** Commands for the requesters {@code mayExecute} accepts only. */
    public AdHocCommands(List<AdHocCommand> commands, Predicate<EntityBareJid> mayExecute, CommandSessions sessions) {
        this(commands, mayExecute, requester -> false, sessions);
    }

    /**
     * @param mayExecute who may run every command (the administrators)
     * @param localUser  who may run the commands {@link AdHocCommand#forEveryLocalUser for every local user}
     */
    public AdHocCommands(List<AdHocCommand> commands, Predicate<EntityBareJid> mayExecute,
                         Predicate<EntityBareJid> localUser, CommandSessions sessions) {
        commands.forEach(c -> this.commands.put(c.node(), c));
        this.mayExecute = mayExecute;
        this.localUser = localUser;
        this.sessions = sessions;
    }

    private boolean mayRun(AdHocCommand command, EntityBareJid requester) {
        return requester != null && (mayExecute.test(requester)
                || (command.forEveryLocalUser() && localUser.test(requester)));
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    /** The commands {@code requester} may execute (for disco#items of the commands node). */
    public List<AdHocCommand> commandsFor(EntityBareJid requester) {
        return commands.values().stream().filter(command -> mayRun(command, requester)).toList();
    }

    @Override
    public Stanza handle(Stanza iq) {
        XmlElement request = iq.payload().orElseThrow();
        if (!"set".equals(iq.type()) || !request.is("command", NAMESPACE)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, null, "a command is executed with an IQ set");
        }
        EntityBareJid requester = requester(iq);
        AdHocCommand command = commands.get(request.attributeOrNull("node"));
        if (command != null && !mayRun(command, requester)
                || command == null && (requester == null || !mayExecute.test(requester))) {
            return error(iq, StanzaErrorCondition.FORBIDDEN, null, "only the server's administrators may run commands");
        }
        if (command == null) {
            return error(iq, StanzaErrorCondition.ITEM_NOT_FOUND, null, "no such command");
        }
        String action = request.attributeOrNull("action");
        if (action != null && !ACTIONS.contains(action)) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "malformed-action", "unknown action " + action);
        }
        String sessionId = request.attributeOrNull("sessionid");
        Optional<DataForm> submitted = DataForm.in(request).filter(f -> "submit".equals(f.type()));
        if (sessionId == null) {
            if ("cancel".equals(action)) {
                return error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-sessionid", "no session to cancel");
            }
            if (command.form().isEmpty() || submitted.isPresent()) {
                return run(iq, command, requester, null, submitted.orElse(new DataForm("submit", null, null, List.of())));
            }
            CommandSessions.Session session = sessions.open(iq.fromAttribute(), command.node());
            return reply(iq, command, session.id(), "executing", List.of(actions(), command.form().get().toElement()));
        }
        CommandSessions.Session session = sessions.take(sessionId, iq.fromAttribute())
                .filter(s -> s.node().equals(command.node())).orElse(null);
        if (session == null) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-sessionid", "no such session");
        }
        if ("cancel".equals(action)) {
            return reply(iq, command, sessionId, "canceled", List.of());
        }
        if ("next".equals(action) || "prev".equals(action)) {
            // §4.4: these commands have a single stage.
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-action", "this command has one stage");
        }
        if (submitted.isEmpty()) {
            return error(iq, StanzaErrorCondition.BAD_REQUEST, "bad-payload", "the completed form is missing");
        }
        return run(iq, command, requester, sessionId, submitted.get());
    }

    private Stanza run(Stanza iq, AdHocCommand command, EntityBareJid requester, String sessionId, DataForm submitted) {
        AdHocCommand.Completed completed;
        try {
            completed = command.execute(requester, submitted);
        } catch (CommandException e) {
            return error(iq, e.condition(), e.specific(), e.getMessage());
        }
        List<XmlNode> children = new ArrayList<>();
        if (completed.note() != null) {
            children.add(XmlElement.builder("note", NAMESPACE).attribute("type", "info").text(completed.note()).build());
        }
        if (completed.result() != null) {
            children.add(completed.result().toElement());
        }
        return reply(iq, command, sessionId, "completed", children);
    }

    /** §3.4: the one next action, {@code complete}, which is also what {@code execute} means here. */
    private static XmlElement actions() {
        return XmlElement.builder("actions", NAMESPACE).attribute("execute", "complete")
                .child(XmlElement.empty("complete", NAMESPACE)).build();
    }

    private static Stanza reply(Stanza iq, AdHocCommand command, String sessionId, String status, List<? extends XmlNode> children) {
        return iq.iqResult(XmlElement.builder("command", NAMESPACE).attribute("node", command.node())
                .attribute("sessionid", sessionId).attribute("status", status).children(children).build());
    }

    /** A stanza error with the commands-specific condition of XEP-0050 §6 next to the defined one. */
    static Stanza error(Stanza iq, StanzaErrorCondition condition, String specific, String text) {
        XmlElement error = StanzaError.of(condition, text).toElement();
        if (specific != null) {
            error = error.withChild(XmlElement.empty(specific, NAMESPACE));
        }
        XmlElement reply = XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("from", iq.toAttribute())
                .attribute("to", iq.fromAttribute()).attribute("id", iq.id()).attribute("type", "error")
                .child(error).build();
        return Stanza.of(reply).orElseThrow();
    }

    private static EntityBareJid requester(Stanza iq) {
        try {
            Jid from = iq.from();
            return from == null ? null : from.asEntityBareJidIfPossible();
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
