package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.commands.SpecificErrorCondition;
import org.jivesoftware.smackx.commands.packet.AdHocCommandData;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MUCAffiliation;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XEP-0133 service administration through XEP-0050 ad-hoc commands, driven by Smack's {@link AdHocCommandManager} as an
 * admin client would: an administrator creates an account, the new user logs in, the administrator changes its
 * password, disables it (login fails), re-enables it, ends its session and deletes it (login fails). A non-administrator
 * is refused; bad form input gets {@code bad-request} with {@code <bad-payload/>}; a bystander pair keeps chatting.
 */
class ServiceAdministrationEndToEndTest {

    private static final String ADMIN = "http://jabber.org/protocol/admin#";
    private static AviaryTestServer server;
    private static DomainBareJid domain;
    private static XMPPTCPConnection admin;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.admins[0]=admin@" + AviaryTestServer.DOMAIN);
        domain = JidCreate.domainBareFrom(AviaryTestServer.DOMAIN);
        server.accounts().register("admin", "admin-pw");
        admin = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "admin", "admin-pw", null).build());
        bystanders = new BystanderPair(server);
    }

    @AfterAll
    static void stop() {
        bystanders.close();
        admin.disconnect();
        server.close();
    }

    @Test
    void anAdministratorRunsAnAccountsWholeLifeThroughCommands() throws Exception {
        // add-user: form first, then completion in the same session.
        AdHocCommand add = command(admin, "add-user");
        AdHocCommandResult.StatusExecuting stage = add.execute().asExecutingOrThrow();
        assertThat(add.getSessionId()).isNotBlank();
        FillableForm form = stage.getFillableForm();
        form.setAnswer("accountjid", "newbie@" + AviaryTestServer.DOMAIN);
        form.setAnswer("password", "first-pw");
        form.setAnswer("password-verify", "first-pw");
        assertThat(add.complete(form.getSubmitForm()).isCompleted()).isTrue();
        bystanders.stillChat();

        XMPPTCPConnection newbie = login("newbie", "first-pw");
        assertThat(newbie.isAuthenticated()).isTrue();
        assertThat(numberOf("get-registered-users-num", "registeredusersnum")).isEqualTo(server.accounts().list().size());
        awaitOnline("newbie@localhost", "admin@localhost", "bob@localhost");

        // change-user-password: the old password no longer works, the new one does.
        submit("change-user-password", f -> {
            f.setAnswer("accountjid", "newbie@localhost");
            f.setAnswer("password", "second-pw");
        });
        assertLoginFails("newbie", "first-pw");
        login("newbie", "second-pw").disconnect();

        // disable-user: the live session ends and no login works; reenable-user lets it in again.
        submit("disable-user", f -> f.setAnswer("accountjids", List.of("newbie@localhost")));
        awaitDisconnected(newbie);
        assertLoginFails("newbie", "second-pw");
        submit("reenable-user", f -> f.setAnswer("accountjids", List.of("newbie@localhost")));
        newbie = login("newbie", "second-pw");

        // end-user-session: the session ends (policy-violation), the account stays.
        submit("end-user-session", f -> f.setAnswer("accountjids", List.of("newbie@localhost")));
        awaitDisconnected(newbie);
        assertThat(server.accounts().exists("newbie")).isTrue();
        bystanders.stillChat();

        // delete-user: gone, and so is the way in.
        newbie = login("newbie", "second-pw");
        submit("delete-user", f -> f.setAnswer("accountjids", List.of("newbie@localhost")));
        awaitDisconnected(newbie);
        assertThat(server.accounts().exists("newbie")).isFalse();
        assertLoginFails("newbie", "second-pw");
        bystanders.stillChat();
    }

    @Test
    void theCommandsNodeListsEveryCommandForAnAdministratorAndOnlyTheInvitationToOthers() throws Exception {
        DiscoverItems forAdmin = AdHocCommandManager.getInstance(admin).discoverCommands(domain);
        assertThat(forAdmin.getItems()).extracting(DiscoverItems.Item::getNode).contains(ADMIN + "add-user",
                ADMIN + "delete-user", ADMIN + "disable-user", ADMIN + "reenable-user", ADMIN + "change-user-password",
                ADMIN + "get-online-users-num", ADMIN + "get-registered-users-num", ADMIN + "get-online-users-list",
                ADMIN + "end-user-session", ADMIN + "announce", ADMIN + "set-motd", ADMIN + "delete-motd",
                "urn:xmpp:invite#invite", "urn:xmpp:invite#create-account");
        // XEP-0401: every local user may invite a contact; nothing else is theirs to run.
        assertThat(AdHocCommandManager.getInstance(bystanders.bob()).discoverCommands(domain).getItems())
                .extracting(DiscoverItems.Item::getNode).containsExactly("urn:xmpp:invite#invite");
        assertThat(ServiceDiscoveryManager.getInstanceFor(admin).discoverInfo(domain)
                .containsFeature(AdHocCommandManager.NAMESPACE)).isTrue();
    }

    /**
     * The administrator acts as owner of a room someone else made (aviary.muc.admins-are-owners, on by default): enters
     * it although it is members-only, and destroys it; a user who is neither may do neither.
     */
    @Test
    void theAdministratorIsOwnerOfEveryRoom() throws Exception {
        server.accounts().register("keeper", "keeper-pw");
        server.accounts().register("visitor", "visitor-pw");
        XMPPTCPConnection keeper = login("keeper", "keeper-pw");
        XMPPTCPConnection visitor = login("visitor", "visitor-pw");
        try {
            EntityBareJid roomJid = JidCreate.entityBareFrom("keep@conference." + AviaryTestServer.DOMAIN);
            MultiUserChat room = MultiUserChatManager.getInstanceFor(keeper).getMultiUserChat(roomJid);
            room.create(Resourcepart.from("keeper"));
            FillableForm form = room.getConfigurationForm().getFillableForm();
            form.setAnswer("muc#roomconfig_persistentroom", true);
            form.setAnswer("muc#roomconfig_membersonly", true);
            room.sendConfigurationForm(form);

            MultiUserChat asVisitor = MultiUserChatManager.getInstanceFor(visitor).getMultiUserChat(roomJid);
            assertThatThrownBy(() -> asVisitor.join(Resourcepart.from("visitor")))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.registration_required));
            assertThatThrownBy(() -> asVisitor.destroy("mine now", null))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

            MultiUserChat asAdmin = MultiUserChatManager.getInstanceFor(admin).getMultiUserChat(roomJid);
            asAdmin.join(Resourcepart.from("operator"));
            assertThat(asAdmin.getOccupant(asAdmin.getMyRoomJid()).getAffiliation()).isEqualTo(MUCAffiliation.owner);
            assertThat(room.getOwners()).extracting(Affiliate::getJid).as("not listed")
                    .containsExactly(keeper.getUser().asBareJid());
            asAdmin.destroy("closed by the operators", null);
            bystanders.stillChat();
            assertThatThrownBy(() -> MultiUserChatManager.getInstanceFor(visitor).getRoomInfo(roomJid)).as("gone")
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
        } finally {
            keeper.disconnect();
            visitor.disconnect();
        }
    }

    @Test
    void aUserWhoIsNotAnAdministratorIsForbidden() {
        assertThatThrownBy(() -> command(bystanders.bob(), "add-user").execute())
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
    }

    @Test
    void badFormInputIsABadPayload() throws Exception {
        XMPPException.XMPPErrorException remote = rejected("add-user", f -> {
            f.setAnswer("accountjid", "someone@elsewhere.example");
            f.setAnswer("password", "pw");
            f.setAnswer("password-verify", "pw");
        });
        assertThat(remote.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.bad_request);
        assertThat(AdHocCommand.getSpecificErrorCondition(remote.getStanzaError()))
                .isEqualTo(SpecificErrorCondition.badPayload);

        XMPPException.XMPPErrorException differ = rejected("add-user", f -> {
            f.setAnswer("accountjid", "typo@localhost");
            f.setAnswer("password", "one");
            f.setAnswer("password-verify", "two");
        });
        assertThat(AdHocCommand.getSpecificErrorCondition(differ.getStanzaError()))
                .isEqualTo(SpecificErrorCondition.badPayload);
        assertThat(server.accounts().exists("typo")).isFalse();

        XMPPException.XMPPErrorException unknown = rejected("delete-user",
                f -> f.setAnswer("accountjids", List.of("nobody@localhost")));
        assertThat(unknown.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
    }

    @Test
    void aCancelledSessionIsOverAndCannotBeCompleted() throws Exception {
        AdHocCommand add = command(admin, "add-user");
        FillableForm form = add.execute().asExecutingOrThrow().getFillableForm();
        // Smack 4.5's AdHocCommand.cancel() cannot read the 'canceled' status XEP-0050 §3.4 answers with
        // (AdHocCommandResult.from knows only executing and completed), so the cancel is sent as written in the XEP.
        IQ answer = admin.sendIqRequestAndWaitForResponse(new Cancel(ADMIN + "add-user", add.getSessionId()));
        assertThat(((AdHocCommandData) answer).getStatus()).isEqualTo(AdHocCommandData.Status.canceled);

        form.setAnswer("accountjid", "late@localhost");
        form.setAnswer("password", "pw");
        form.setAnswer("password-verify", "pw");
        assertThatThrownBy(() -> add.complete(form.getSubmitForm()))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                        AdHocCommand.getSpecificErrorCondition(e.getStanzaError())).isEqualTo(SpecificErrorCondition.badSessionid));
        assertThat(server.accounts().exists("late")).isFalse();
    }

    @Test
    void anAnnouncementReachesOnlineUsersAsAHeadline() throws Exception {
        BlockingQueue<Message> headlines = new LinkedBlockingQueue<>();
        bystanders.bob().addAsyncStanzaListener(s -> headlines.add((Message) s),
                s -> s instanceof Message m && m.getType() == Message.Type.headline);
        submit("announce", f -> f.setAnswer("announcement", List.of("Maintenance at noon.")));
        Message announcement = headlines.poll(10, TimeUnit.SECONDS);
        assertThat(announcement).isNotNull();
        assertThat(announcement.getBody()).isEqualTo("Maintenance at noon.");
        assertThat(announcement.getFrom().toString()).isEqualTo(AviaryTestServer.DOMAIN);

        submit("set-motd", f -> f.setAnswer("motd", List.of("Welcome to the aviary.")));
        Message motd = headlines.poll(10, TimeUnit.SECONDS);
        assertThat(motd).isNotNull();
        assertThat(motd.getBody()).isEqualTo("Welcome to the aviary.");
        // A user who comes online later gets it once.
        server.accounts().register("latecomer", "late-pw");
        XMPPTCPConnection latecomer = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), "latecomer", "late-pw", null).build());
        BlockingQueue<Message> latecomerHeadlines = new LinkedBlockingQueue<>();
        latecomer.addAsyncStanzaListener(s -> latecomerHeadlines.add((Message) s),
                s -> s instanceof Message m && m.getType() == Message.Type.headline);
        latecomer.connect().login(); // Smack sends the initial available presence
        Message greeting = latecomerHeadlines.poll(10, TimeUnit.SECONDS);
        assertThat(greeting).isNotNull();
        assertThat(greeting.getBody()).isEqualTo("Welcome to the aviary.");
        latecomer.disconnect();

        assertThat(command(admin, "delete-motd").execute().isCompleted()).isTrue();
        assertThat(numberOf("get-online-users-num", "onlineusersnum")).isGreaterThanOrEqualTo(3);
    }

    // helpers

    /** {@code <command node='…' sessionid='…' action='cancel'/>} to the domain. */
    private static final class Cancel extends IQ {
        private final String node;
        private final String sessionId;

        Cancel(String node, String sessionId) {
            super("command", AdHocCommandManager.NAMESPACE);
            this.node = node;
            this.sessionId = sessionId;
            setType(Type.set);
            setTo(domain);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.attribute("node", node).attribute("sessionid", sessionId).attribute("action", "cancel");
            xml.setEmptyElement();
            return xml;
        }
    }

    private interface Answers {
        void fill(FillableForm form) throws Exception;
    }

    private static AdHocCommand command(XMPPConnection connection, String name) {
        return AdHocCommandManager.getInstance(connection).getRemoteCommand(domain, ADMIN + name);
    }

    private static AdHocCommandResult submit(String name, Answers answers) throws Exception {
        AdHocCommand command = command(admin, name);
        FillableForm form = command.execute().asExecutingOrThrow().getFillableForm();
        answers.fill(form);
        AdHocCommandResult result = command.complete(form.getSubmitForm());
        assertThat(result.isCompleted()).as(name + " completed").isTrue();
        return result;
    }

    private static XMPPException.XMPPErrorException rejected(String name, Answers answers) throws Exception {
        AdHocCommand command = command(admin, name);
        FillableForm form = command.execute().asExecutingOrThrow().getFillableForm();
        answers.fill(form);
        try {
            command.complete(form.getSubmitForm());
        } catch (XMPPException.XMPPErrorException e) {
            return e;
        }
        throw new AssertionError(name + " accepted bad input");
    }

    private static int numberOf(String name, String field) throws Exception {
        AdHocCommandResult result = command(admin, name).execute();
        assertThat(result.isCompleted()).isTrue();
        return Integer.parseInt(result.getResponse().getForm().getField(field).getFirstValue());
    }

    private static List<String> onlineUsers() throws Exception {
        AdHocCommandResult result = submit("get-online-users-list", f -> f.setAnswer("max_items", "none"));
        return result.getResponse().getForm().getField("onlineuserjids").getValues().stream()
                .map(CharSequence::toString).toList();
    }

    /** The online list eventually names them all (each login's presence reaches the registry on its own connection). */
    private static void awaitOnline(String... users) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> online = onlineUsers();
        while (!online.containsAll(List.of(users)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            online = onlineUsers();
        }
        assertThat(online).contains(users);
    }

    private static XMPPTCPConnection login(String user, String password) throws Exception {
        XMPPTCPConnection connection = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), user, password, null).build());
        // Available, so the online lists count it.
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().build());
        return connection;
    }

    private static void assertLoginFails(String user, String password) {
        assertThatThrownBy(() -> login(user, password).disconnect()).isInstanceOf(SASLErrorException.class);
    }

    private static void awaitDisconnected(XMPPTCPConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connection.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(connection.isConnected()).as("the session was ended").isFalse();
    }
}
