package io.aviary.xep0133;

import io.aviary.account.Accounts;
import io.aviary.admin.AdminOperations;
import io.aviary.session.SessionEntry;
import io.aviary.xep0050.AdHocCommand;
import io.aviary.xep0050.CommandException;
import io.aviary.xep0050.DataForm;
import io.aviary.xep0050.DataForm.Field;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import java.util.ArrayList;
import java.util.List;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The XEP-0133 commands this server offers (§4.1 add-user, §4.2 delete-user, §4.3 disable-user, §4.4 reenable-user,
 * §4.7 change-user-password, §4.15-4.17 get registered/online users, §4.19 end-user-session (numbered §4.18 in some
 * versions), §4.23 announce, §4.24 set-motd, §4.26 delete-motd), each a thin form over {@link AdminOperations}.
 *
 * <p>Input is checked before anything changes: a JID that is not a bare JID of this domain, a missing required field
 * or passwords that differ is {@code bad-request} with {@code <bad-payload/>} (XEP-0050 §6); an account that does not
 * exist {@code item-not-found}; adding one that exists {@code conflict}.
 */
final class ServiceAdministration {

    private static final List<String> MAX_ITEMS = List.of("25", "50", "75", "100", "150", "200", "none");

    private final AdminOperations operations;

    ServiceAdministration(AdminOperations operations) {
        this.operations = operations;
    }

    List<AdHocCommand> commands() {
        return List.of(
                AdminCommand.of("add-user", "Add a User", "Fill out this form to add a user.", List.of(
                        Field.required("accountjid", "jid-single", "The Jabber ID for the account to be added"),
                        Field.required("password", "text-private", "The password for this account"),
                        Field.required("password-verify", "text-private", "Retype password"),
                        Field.optional("email", "text-single", "Email address"),
                        Field.optional("given_name", "text-single", "Given name"),
                        Field.optional("surname", "text-single", "Family name")), this::addUser),
                AdminCommand.of("delete-user", "Delete a User", "Fill out this form to delete a user.",
                        List.of(accountJids("The Jabber ID(s) to delete")),
                        (who, form) -> forEachAccount(form, "deleted", name -> operations.deleteUser(who.toString(), name))),
                AdminCommand.of("disable-user", "Disable a User", "Fill out this form to disable a user.",
                        List.of(accountJids("The Jabber ID(s) to disable")),
                        (who, form) -> forEachAccount(form, "disabled",
                                name -> operations.setLocked(who.toString(), name, true))),
                AdminCommand.of("reenable-user", "Re-Enable a User", "Fill out this form to re-enable a user.",
                        List.of(accountJids("The Jabber ID(s) to re-enable")),
                        (who, form) -> forEachAccount(form, "re-enabled",
                                name -> operations.setLocked(who.toString(), name, false))),
                AdminCommand.of("change-user-password", "Change User Password",
                        "Fill out this form to change a user's password.", List.of(
                                Field.required("accountjid", "jid-single", "The Jabber ID for this account"),
                                Field.required("password", "text-private", "The password for this account")),
                        this::changePassword),
                AdminCommand.of("end-user-session", "End User Session",
                        "Fill out this form to end a user's session.",
                        List.of(accountJids("The Jabber ID(s) for which to end sessions")), this::endSessions),
                AdminCommand.of("get-registered-users-num", "Get Number of Registered Users", null, List.of(),
                        (who, form) -> AdminCommand.result("Getting the Number of Registered Users",
                                Field.result("registeredusersnum", "text-single", "The number of registered users",
                                        List.of(Integer.toString(operations.statistics().registeredUsers()))))),
                AdminCommand.of("get-online-users-num", "Get Number of Online Users", null, List.of(),
                        (who, form) -> AdminCommand.result("Getting the Number of Online Users",
                                Field.result("onlineusersnum", "text-single", "The number of online users",
                                        List.of(Integer.toString(operations.statistics().onlineUsers()))))),
                AdminCommand.of("get-online-users-list", "Get List of Online Users",
                        "Fill out this form to get a list of online users.", List.of(
                                Field.required("max_items", "list-single", "Maximum number of items to show")
                                        .withOptions(MAX_ITEMS)), this::onlineUsers),
                AdminCommand.of("announce", "Send Announcement to Online Users",
                        "Fill out this form to make an announcement to all active users of this service.",
                        List.of(Field.required("announcement", "text-multi", "Announcement")),
                        (who, form) -> AdHocCommand.Completed.note("Announced to "
                                + operations.announce(who.toString(), text(form, "announcement")) + " resources")),
                AdminCommand.of("set-motd", "Set Message of the Day", "Fill out this form to set the message of the day.",
                        List.of(Field.required("motd", "text-multi", "Message of the Day")),
                        (who, form) -> {
                            operations.setMotd(who.toString(), text(form, "motd"));
                            return AdHocCommand.Completed.note("Message of the day set");
                        }),
                AdminCommand.of("delete-motd", "Delete Message of the Day", null, List.of(), (who, form) -> {
                    operations.deleteMotd(who.toString());
                    return AdHocCommand.Completed.note("Message of the day deleted");
                }));
    }

    private static Field accountJids(String label) {
        return Field.required("accountjids", "jid-multi", label);
    }

    private AdHocCommand.Completed addUser(EntityBareJid requester, DataForm form) throws CommandException {
        String username = localAccount(required(form, "accountjid"));
        String password = required(form, "password");
        if (!password.equals(form.value("password-verify").orElse(null))) {
            throw CommandException.badPayload("the passwords differ");
        }
        return outcome(operations.createUser(requester.toString(), username, password), "added");
    }

    private AdHocCommand.Completed changePassword(EntityBareJid requester, DataForm form) throws CommandException {
        String username = localAccount(required(form, "accountjid"));
        return outcome(operations.changePassword(requester.toString(), username, required(form, "password")),
                "changed the password of");
    }

    private AdHocCommand.Completed endSessions(EntityBareJid requester, DataForm form) throws CommandException {
        List<String> addresses = form.valuesOf("accountjids");
        if (addresses.isEmpty()) {
            throw CommandException.badPayload("accountjids is required");
        }
        for (String address : addresses) {
            // A full JID ends that session only, a bare JID every session of the account.
            String bare = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
            existing(localAccount(bare));
        }
        int ended = 0;
        for (String address : addresses) {
            ended += operations.endSessions(requester.toString(), address);
        }
        return AdHocCommand.Completed.note("Ended " + ended + " session(s)");
    }

    private AdHocCommand.Completed onlineUsers(EntityBareJid requester, DataForm form) throws CommandException {
        String max = required(form, "max_items");
        if (!MAX_ITEMS.contains(max)) {
            throw CommandException.badPayload("max_items is one of " + MAX_ITEMS);
        }
        List<String> users = operations.allSessions().stream().filter(SessionEntry::available)
                .map(s -> s.jid().asEntityBareJidString()).distinct().sorted()
                .limit(max.equals("none") ? Long.MAX_VALUE : Long.parseLong(max)).toList();
        return AdminCommand.result("Getting List of Online Users",
                Field.result("onlineuserjids", "jid-multi", "The list of all online users", users));
    }

    /** Checks every JID of {@code accountjids} first, then applies {@code action} to each. */
    private AdHocCommand.Completed forEachAccount(DataForm form, String done, AccountAction action)
            throws CommandException {
        List<String> jids = form.valuesOf("accountjids");
        if (jids.isEmpty()) {
            throw CommandException.badPayload("accountjids is required");
        }
        List<String> names = new ArrayList<>();
        for (String jid : jids) {
            names.add(existing(localAccount(jid)));
        }
        for (String name : names) {
            action.apply(name);
        }
        return AdHocCommand.Completed.note(capitalised(done) + " " + String.join(", ", jids));
    }

    @FunctionalInterface
    private interface AccountAction {
        Accounts.Result apply(String username);
    }

    private static AdHocCommand.Completed outcome(Accounts.Result result, String done) throws CommandException {
        return switch (result.outcome()) {
            case CREATED, PASSWORD_CHANGED -> AdHocCommand.Completed.note(capitalised(done) + " " + result.username());
            case EXISTS -> throw new CommandException(StanzaErrorCondition.CONFLICT, null, result.message());
            case NO_SUCH_USER -> throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null, result.message());
            default -> throw CommandException.badPayload(result.message());
        };
    }

    /** The username of a bare JID of this domain; anything else is bad input. */
    private String localAccount(String jid) throws CommandException {
        EntityBareJid bare = JidCreate.entityBareFromOrNull(jid);
        if (bare == null || !bare.getDomain().equals(operations.domain())) {
            throw CommandException.badPayload("'" + jid + "' is not a user of " + operations.domain());
        }
        return bare.getLocalpart().toString();
    }

    private String existing(String username) throws CommandException {
        if (!operations.exists(username)) {
            throw new CommandException(StanzaErrorCondition.ITEM_NOT_FOUND, null, "no account '" + username + "'");
        }
        return username;
    }

    private static String required(DataForm form, String var) throws CommandException {
        return form.value(var).orElseThrow(() -> CommandException.badPayload(var + " is required"));
    }

    /** A text-multi field's lines as one text. */
    private static String text(DataForm form, String var) throws CommandException {
        List<String> lines = form.valuesOf(var);
        if (lines.isEmpty()) {
            throw CommandException.badPayload(var + " is required");
        }
        return String.join("\n", lines);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
