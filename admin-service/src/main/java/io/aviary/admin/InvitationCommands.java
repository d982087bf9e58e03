package io.aviary.admin;

import io.aviary.account.Accounts;
import io.aviary.service.InvitationIssuer;
import io.aviary.xep0050.AdHocCommand;
import io.aviary.xep0050.CommandException;
import io.aviary.xep0050.DataForm;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.EntityBareJid;

/**
 * The XEP-0401 commands at the domain: {@code urn:xmpp:invite#invite}, a contact invitation any local user may make
 * (completed at once, no form), and {@code urn:xmpp:invite#create-account}, an account invitation for the
 * administrators (a form with an optional reserved username and whether the new account becomes the inviter's
 * contact). Both answer with the {@code urn:xmpp:invite#invitation} form: {@code uri} and {@code expire}.
 */
public final class InvitationCommands {

    static final String INVITE = "urn:xmpp:invite#invite";
    static final String CREATE_ACCOUNT = "urn:xmpp:invite#create-account";
    private static final String RESULT_TYPE = "urn:xmpp:invite#invitation";

    private final InvitationIssuer issuer;
    private final Duration validity;
    private final boolean usersMayRegisterInvitees;

    /**
     * @param validity                 how long an invitation is accepted
     * @param usersMayRegisterInvitees whether a user's contact invitation may also create an account ({@code ibr=y})
     */
    public InvitationCommands(InvitationIssuer issuer, Duration validity, boolean usersMayRegisterInvitees) {
        this.issuer = issuer;
        this.validity = validity;
        this.usersMayRegisterInvitees = usersMayRegisterInvitees;
    }

    public List<AdHocCommand> commands() {
        return List.of(invite(), createAccount());
    }

    private AdHocCommand invite() {
        return new AdHocCommand() {
            @Override
            public String node() {
                return INVITE;
            }

            @Override
            public String name() {
                return "Invite a contact";
            }

            @Override
            public boolean forEveryLocalUser() {
                return true;
            }

            @Override
            public Optional<DataForm> form() {
                return Optional.empty();
            }

            @Override
            public Completed execute(EntityBareJid requester, DataForm submitted) {
                return result(issuer.invite(requester, usersMayRegisterInvitees, validity));
            }
        };
    }

    private AdHocCommand createAccount() {
        return new AdHocCommand() {
            @Override
            public String node() {
                return CREATE_ACCOUNT;
            }

            @Override
            public String name() {
                return "Create an account invitation";
            }

            @Override
            public Optional<DataForm> form() {
                return Optional.of(DataForm.form("Account invitation", "Leave the username empty to let the invitee "
                        + "choose one.", List.of(
                        DataForm.Field.optional("username", "text-single", "Username"),
                        DataForm.Field.optional("roster-subscription", "boolean",
                                "The new account and you become contacts"))));
            }

            @Override
            public Completed execute(EntityBareJid requester, DataForm submitted) throws CommandException {
                String username = submitted.value("username").map(String::strip).filter(u -> !u.isEmpty())
                        .orElse(null);
                if (username != null && Accounts.normalize(username).isEmpty()) {
                    throw CommandException.badPayload("username: not a valid username");
                }
                boolean befriend = submitted.value("roster-subscription").map(v -> v.equals("1") || v.equals("true"))
                        .orElse(false);
                return result(issuer.createAccount(username, befriend ? requester : null, validity));
            }
        };
    }

    private static AdHocCommand.Completed result(InvitationIssuer.Issued issued) {
        return AdHocCommand.Completed.result(new DataForm("result", null, null, List.of(
                DataForm.Field.hidden("FORM_TYPE", RESULT_TYPE),
                DataForm.Field.result("uri", "text-single", "Invitation", List.of(issued.uri())),
                DataForm.Field.result("expire", "text-single", "Expires",
                        List.of(DateTimeFormatter.ISO_INSTANT.format(issued.expires()))))));
    }
}
