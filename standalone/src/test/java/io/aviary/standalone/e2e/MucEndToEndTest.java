package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.MessageTypeFilter;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.element.MamElements;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.muc.HostedRoom;
import org.jivesoftware.smackx.muc.MucConfigFormManager;
import org.jivesoftware.smackx.muc.MucEnterConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.ParticipantStatusListener;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.muc.packet.MUCUser;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * XEP-0045 end to end: Smack's MultiUserChat against the group chat service at {@code conference.localhost}, with
 * Romeo (who creates the rooms), Juliet and Mercutio. Each test has rooms of its own.
 */
class MucEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();
    private static AviaryTestServer server;
    private static BystanderPair bystanders;
    private static XMPPTCPConnection romeo;
    private static XMPPTCPConnection juliet;
    private static XMPPTCPConnection mercutio;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start();
        for (String user : new String[] {"romeo", "juliet", "mercutio"}) {
            server.accounts().register(user, user + "-pw");
        }
        bystanders = new BystanderPair(server);
        romeo = login("romeo");
        juliet = login("juliet");
        mercutio = login("mercutio");
    }

    @AfterAll
    static void stop() {
        for (XMPPTCPConnection connection : new XMPPTCPConnection[] {romeo, juliet, mercutio}) {
            if (connection != null) {
                connection.disconnect();
            }
        }
        if (bystanders != null) {
            bystanders.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void bystandersStillChat() throws Exception {
        bystanders.stillChat();
    }

    @Test
    void threeUsersChatInAnInstantRoomWithOccupantIds() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        // Smack hands presence to its occupant list asynchronously, so the list may trail the join by a moment.
        eventually(() -> byMercutio.getOccupantsCount() == 3, "Mercutio sees three occupants");
        assertThat(byMercutio.getOccupants()).extracting(j -> j.getResourceOrThrow().toString())
                .containsExactlyInAnyOrder("romeo", "juliet", "mercutio");

        byRomeo.sendMessage("But soft, what light");
        for (MultiUserChat listener : List.of(byJuliet, byMercutio, byRomeo)) {
            Message received = nextBody(listener);
            assertThat(received.getBody()).isEqualTo("But soft, what light");
            assertThat(received.getFrom().toString()).isEqualTo(byRomeo.getRoom() + "/romeo");
            assertThat(received.getExtensionElement("occupant-id", "urn:xmpp:occupant-id:0")).isNotNull();
        }
        byJuliet.sendMessage("Romeo, Romeo");
        assertThat(nextBody(byMercutio).getFrom().toString()).isEqualTo(byRomeo.getRoom() + "/juliet");
        // The occupant id of each occupant is the one on its presence, and not its JID.
        Message fromJuliet = nextBody(byRomeo);
        String id = fromJuliet.getExtensionElement("occupant-id", "urn:xmpp:occupant-id:0").toXML().toString();
        assertThat(id).doesNotContain("juliet@");
        Presence julietsPresence = byRomeo.getOccupantPresence(JidCreate.entityFullFrom(byRomeo.getRoom() + "/juliet"));
        assertThat(julietsPresence.getExtensionElement("occupant-id", "urn:xmpp:occupant-id:0").toXML().toString())
                .isEqualTo(id);
        leaveAll(byRomeo, byJuliet, byMercutio);
    }

    @Test
    void aReservedRoomIsLockedUntilItsOwnerConfiguresIt() throws Exception {
        MultiUserChat byRomeo = manager(romeo).getMultiUserChat(nextRoom());
        MultiUserChat.MucCreateConfigFormHandle handle = byRomeo.create(Resourcepart.from("romeo"));
        assertThat(handle).as("status 201: created").isNotNull();
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "juliet", null)).isEqualTo(StanzaError.Condition.item_not_found);
        FillableForm form = byRomeo.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_roomname", "The Capulet orchard");
        form.setAnswer("muc#roomconfig_persistentroom", true);
        byRomeo.sendConfigurationForm(form);

        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        RoomInfo info = manager(juliet).getRoomInfo(byRomeo.getRoom());
        assertThat(info.getName()).isEqualTo("The Capulet orchard");
        assertThat(info.isPersistent()).isTrue();
        assertThat(info.getOccupantsCount()).isEqualTo(2);
        leaveAll(byRomeo, byJuliet);
        // Persistent: still there when empty.
        assertThat(manager(mercutio).getRoomInfo(byRomeo.getRoom()).getName()).isEqualTo("The Capulet orchard");
    }

    @Test
    void newcomersGetTheHistoryTheyAskForThenTheSubject() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        byRomeo.changeSubject("Two households");
        for (int i = 1; i <= 3; i++) {
            byRomeo.sendMessage("line " + i);
            assertThat(nextBody(byRomeo).getBody()).as("reflected, so kept").isEqualTo("line " + i);
        }
        MultiUserChat byJuliet = manager(juliet).getMultiUserChat(byRomeo.getRoom());
        MucEnterConfiguration enter = byJuliet.getEnterConfigurationBuilder(Resourcepart.from("juliet"))
                .requestMaxStanzasHistory(2).build();
        byJuliet.join(enter);
        Message first = nextBody(byJuliet);
        Message second = nextBody(byJuliet);
        assertThat(List.of(first.getBody(), second.getBody())).containsExactly("line 2", "line 3");
        DelayInformation delay = first.getExtension(DelayInformation.class);
        assertThat(delay).isNotNull();
        assertThat(delay.getFrom()).isEqualTo(byRomeo.getRoom().toString());
        // The subject ends the join (§7.2.16); Smack may return from join() before it has handled it.
        eventually(() -> "Two households".equals(byJuliet.getSubject()), "the subject arrived");

        MultiUserChat byMercutio = manager(mercutio).getMultiUserChat(byRomeo.getRoom());
        byMercutio.join(byMercutio.getEnterConfigurationBuilder(Resourcepart.from("mercutio")).requestNoHistory().build());
        // History comes before the subject, so once the subject is there, any history would be too.
        eventually(() -> "Two households".equals(byMercutio.getSubject()), "the subject arrived");
        for (Message message = byMercutio.pollMessage(); message != null; message = byMercutio.pollMessage()) {
            assertThat(message.getBody()).as("no history when none is asked for").isNull();
        }
        // A participant may not change the subject unless the room allows it (§8.1).
        assertThatThrownBy(() -> byJuliet.changeSubject("mine"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        leaveAll(byRomeo, byJuliet, byMercutio);
    }

    @Test
    void privateMessagesGoToTheOccupantAsFromTheSendersNick() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        BlockingQueue<Message> romeosInbox = XmppClients.inbox(romeo);
        juliet.sendStanza(juliet.getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityFullFrom(byRomeo.getRoom() + "/romeo")).ofType(Message.Type.chat)
                .setBody("Wherefore art thou").build());
        Message received = XmppClients.next(romeosInbox, WAIT);
        assertThat(received).isNotNull();
        assertThat(received.getBody()).isEqualTo("Wherefore art thou");
        assertThat(received.getFrom().toString()).isEqualTo(byRomeo.getRoom() + "/juliet");
        assertThat(received.getExtension(MUCUser.class)).isNotNull();

        Message toNobody = juliet.getStanzaFactory().buildMessageStanza()
                .to(JidCreate.entityFullFrom(byRomeo.getRoom() + "/tybalt")).ofType(Message.Type.chat)
                .setBody("hello?").build();
        assertThat(errorOf(juliet, toNobody)).isEqualTo(StanzaError.Condition.item_not_found);
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void nickChangesAndExitsAreSeenByTheOthers() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        CompletableFuture<String> renamed = new CompletableFuture<>();
        CompletableFuture<String> left = new CompletableFuture<>();
        byRomeo.addParticipantStatusListener(new ParticipantStatusListener() {
            @Override
            public void nicknameChanged(EntityFullJid participant, Resourcepart newNickname) {
                renamed.complete(participant.getResourceOrThrow() + "->" + newNickname);
            }

            @Override
            public void left(EntityFullJid participant) {
                left.complete(participant.getResourceOrThrow().toString());
            }
        });
        byJuliet.changeAvailabilityStatus("at the window", Presence.Mode.away);
        EntityFullJid julietInRoom = JidCreate.entityFullFrom(byRomeo.getRoom() + "/juliet");
        eventually(() -> byRomeo.getOccupantPresence(julietInRoom) != null
                && byRomeo.getOccupantPresence(julietInRoom).getMode() == Presence.Mode.away
                && "at the window".equals(byRomeo.getOccupantPresence(julietInRoom).getStatus()),
                "Romeo sees Juliet away, at the window");
        byJuliet.changeNickname(Resourcepart.from("capulet"));
        assertThat(renamed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("juliet->capulet");
        eventually(() -> byRomeo.getOccupants().stream().anyMatch(j -> j.getResourceOrThrow().toString().equals("capulet")),
                "Romeo's list of occupants has the new nick");
        byJuliet.leave();
        assertThat(left.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("capulet");
        // A temporary room goes with its last occupant.
        byRomeo.leave();
        assertThatThrownBy(() -> manager(mercutio).getRoomInfo(byRomeo.getRoom()))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
    }

    @Test
    void aNickInUseIsAConflict() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "romeo", null)).isEqualTo(StanzaError.Condition.conflict);
        byRomeo.leave();
    }

    @Test
    void aPasswordProtectedRoomWantsItsPassword() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        byRomeo.getConfigFormManager().setAndEnablePassword("nightingale").submitConfigurationForm();
        assertThat(manager(juliet).getRoomInfo(byRomeo.getRoom()).isPasswordProtected()).isTrue();
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "juliet", "lark")).isEqualTo(StanzaError.Condition.not_authorized);
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "juliet", null)).isEqualTo(StanzaError.Condition.not_authorized);
        MultiUserChat byJuliet = manager(juliet).getMultiUserChat(byRomeo.getRoom());
        byJuliet.join(Resourcepart.from("juliet"), "nightingale");
        assertThat(byJuliet.isJoined()).isTrue();
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void aMembersOnlyRoomAdmitsMembersAndRemovesThoseWhoLoseMembership() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        CompletableFuture<Boolean> mercutioRemoved = new CompletableFuture<>();
        byMercutio.addUserStatusListener(new UserStatusListener() {
            @Override
            public void removed(MUCUser mucUser, Presence presence) {
                mercutioRemoved.complete(mucUser.getStatus().contains(MUCUser.Status.create(322)));
            }
        });
        MucConfigFormManager config = byRomeo.getConfigFormManager();
        config.makeMembersOnly().submitConfigurationForm();
        assertThat(mercutioRemoved.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("322: removed, room now members-only")
                .isTrue();
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "juliet", null))
                .isEqualTo(StanzaError.Condition.registration_required);
        byRomeo.grantMembership(juliet.getUser().asBareJid());
        assertThat(byRomeo.getMembers()).extracting(a -> a.getJid().toString()).containsExactly("juliet@localhost");
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        CompletableFuture<Boolean> julietRemoved = new CompletableFuture<>();
        byJuliet.addUserStatusListener(new UserStatusListener() {
            @Override
            public void removed(MUCUser mucUser, Presence presence) {
                julietRemoved.complete(mucUser.getStatus().contains(MUCUser.Status.create(321)));
            }
        });
        byRomeo.revokeMembership(juliet.getUser().asBareJid());
        assertThat(julietRemoved.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("321: membership revoked").isTrue();
        // §7.8.2: an owner's invitation to a members-only room makes the invitee a member.
        byRomeo.invite(mercutio.getUser().asEntityBareJid(), "come back");
        eventually(() -> byRomeo.getMembers().stream().anyMatch(a -> a.getJid().toString().equals("mercutio@localhost")),
                "Mercutio is a member");
        byMercutio.join(Resourcepart.from("mercutio"));
        assertThat(byMercutio.isJoined()).isTrue();
        leaveAll(byRomeo, byMercutio);
    }

    @Test
    void inAModeratedRoomVisitorsSpeakOnlyWithVoice() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        byRomeo.getConfigFormManager().makeModerated().submitConfigurationForm();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        assertThat(manager(juliet).getRoomInfo(byRomeo.getRoom()).isModerated()).isTrue();
        Message unvoiced = byJuliet.buildMessage().setBody("may I?").build();
        assertThat(errorOf(juliet, unvoiced.asBuilder().to(byRomeo.getRoom()).ofType(Message.Type.groupchat).build()))
                .isEqualTo(StanzaError.Condition.forbidden);
        byRomeo.grantVoice(Resourcepart.from("juliet"));
        byJuliet.sendMessage("thank you");
        assertThat(nextBody(byRomeo).getBody()).isEqualTo("thank you");
        byRomeo.revokeVoice(Resourcepart.from("juliet"));
        assertThat(byRomeo.getParticipants()).isEmpty();

        // §7.13: Juliet asks for voice; Romeo gets the form and approves it.
        CompletableFuture<Message> request = new CompletableFuture<>();
        romeo.addAsyncStanzaListener(s -> request.complete((Message) s), s -> s instanceof Message m
                && byRomeo.getRoom().equals(m.getFrom()) && m.getExtension(DataForm.class) != null);
        CompletableFuture<Boolean> voiced = new CompletableFuture<>();
        byJuliet.addUserStatusListener(new UserStatusListener() {
            @Override
            public void voiceGranted() {
                voiced.complete(true);
            }
        });
        byJuliet.requestVoice();
        DataForm form = request.get(WAIT.toSeconds(), TimeUnit.SECONDS).getExtension(DataForm.class);
        assertThat(form.getField("muc#roomnick").getFirstValue()).isEqualTo("juliet");
        FillableForm approval = new FillableForm(form);
        approval.setAnswer("muc#request_allow", true);
        // Smack submits only the fields answered; the room needs to know whose request this is.
        approval.setAnswer("muc#roomnick", "juliet");
        romeo.sendStanza(romeo.getStanzaFactory().buildMessageStanza().to(byRomeo.getRoom())
                .addExtension(approval.getDataFormToSubmit()).build());
        assertThat(voiced.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void moderatorsKickAndBanButParticipantsAndAdminsMeetTheirLimits() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        assertThatThrownBy(() -> byJuliet.kickParticipant(Resourcepart.from("mercutio"), "go"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        byRomeo.grantAdmin(mercutio.getUser().asBareJid());
        assertThat(byRomeo.getAdmins()).extracting(a -> a.getJid().toString()).containsExactly("mercutio@localhost");
        assertThatThrownBy(() -> byMercutio.kickParticipant(Resourcepart.from("romeo"), "go"))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed));
        assertThatThrownBy(() -> byMercutio.grantOwnership(juliet.getUser().asBareJid()))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

        byMercutio.grantModerator(Resourcepart.from("juliet"));
        assertThat(byRomeo.getModerators()).extracting(o -> o.getNick().toString())
                .containsExactlyInAnyOrder("romeo", "mercutio", "juliet");
        byMercutio.revokeModerator(Resourcepart.from("juliet"));
        assertThat(byRomeo.getParticipants()).extracting(o -> o.getNick().toString()).containsExactly("juliet");

        CompletableFuture<String> kicked = new CompletableFuture<>();
        byJuliet.addUserStatusListener(new UserStatusListener() {
            @Override
            public void kicked(Jid actor, String reason) {
                kicked.complete(reason);
            }
        });
        byMercutio.kickParticipant(Resourcepart.from("juliet"), "a plague");
        assertThat(kicked.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("a plague");
        assertThat(byJuliet.isJoined()).isFalse();

        byJuliet.join(Resourcepart.from("juliet"));
        CompletableFuture<String> banned = new CompletableFuture<>();
        byJuliet.addUserStatusListener(new UserStatusListener() {
            @Override
            public void banned(Jid actor, String reason) {
                banned.complete(reason);
            }
        });
        byRomeo.banUser(juliet.getUser().asBareJid(), "banished");
        assertThat(banned.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("banished");
        assertThat(byRomeo.getOutcasts()).extracting(a -> a.getJid().toString())
                .containsExactly("juliet@localhost");
        assertThat(errorJoining(juliet, byRomeo.getRoom(), "juliet", null)).isEqualTo(StanzaError.Condition.forbidden);
        leaveAll(byRomeo, byMercutio);
    }

    @Test
    void mediatedInvitationsAndDeclinesAndDirectInvitations() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        CompletableFuture<String> invited = new CompletableFuture<>();
        manager(juliet).addInvitationListener((connection, room, inviter, reason, password, message, invitation) ->
                invited.complete(room.getRoom() + " " + inviter + " " + reason));
        CompletableFuture<String> declined = new CompletableFuture<>();
        byRomeo.addInvitationRejectionListener((invitee, reason, message, rejection) ->
                declined.complete(invitee + " " + reason));
        byRomeo.invite(juliet.getUser().asEntityBareJid(), "come to the ball");
        assertThat(invited.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(byRomeo.getRoom() + " romeo@localhost come to the ball");
        manager(juliet).decline(byRomeo.getRoom(), romeo.getUser().asEntityBareJid(), "not tonight");
        assertThat(declined.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("juliet@localhost not tonight");

        // XEP-0249: a plain message from user to user, which the server delivers like any other.
        BlockingQueue<Message> julietsMessages = new LinkedBlockingQueue<>();
        juliet.addSyncStanzaListener(s -> julietsMessages.add((Message) s),
                s -> s instanceof Message m && m.getExtensionElement("x", "jabber:x:conference") != null);
        byRomeo.inviteDirectly(juliet.getUser().asEntityBareJid());
        Message direct = julietsMessages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(direct).isNotNull();
        assertThat(direct.getExtensionElement("x", "jabber:x:conference").toXML().toString())
                .contains(byRomeo.getRoom().toString());
        byRomeo.leave();
    }

    @Test
    void destroyingARoomSendsItsOccupantsToTheAlternateVenue() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        CompletableFuture<String> destroyed = new CompletableFuture<>();
        byJuliet.addUserStatusListener(new UserStatusListener() {
            @Override
            public void roomDestroyed(MultiUserChat alternate, String password, String reason) {
                destroyed.complete((alternate == null ? "none" : alternate.getRoom().toString()) + " " + reason);
            }
        });
        assertThatThrownBy(() -> byJuliet.destroy("mine now", null))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        EntityBareJid venue = JidCreate.entityBareFrom("mantua@conference.localhost");
        byRomeo.destroy("exiled", venue);
        assertThat(destroyed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(venue + " exiled");
        assertThatThrownBy(() -> manager(mercutio).getRoomInfo(byRomeo.getRoom()))
                .isInstanceOf(XMPPException.XMPPErrorException.class);
    }

    @Test
    void theServiceAndItsPublicRoomsAreDiscoverable() throws Exception {
        assertThat(manager(juliet).getMucServiceDomains()).extracting(Object::toString).contains("conference.localhost");
        DiscoverInfo service = ServiceDiscoveryManager.getInstanceFor(juliet)
                .discoverInfo(JidCreate.domainBareFrom("conference.localhost"));
        assertThat(service.hasIdentity("conference", "text")).isTrue();
        assertThat(service.containsFeature("http://jabber.org/protocol/muc")).isTrue();

        MultiUserChat byRomeo = instantRoom();
        byRomeo.getConfigFormManager().setRoomName("Verona square").submitConfigurationForm();
        MultiUserChat hidden = instantRoom();
        hidden.getConfigFormManager().makeHidden().submitConfigurationForm();
        var rooms = manager(juliet).getRoomsHostedBy(JidCreate.domainBareFrom("conference.localhost"));
        assertThat(rooms).containsKey(byRomeo.getRoom()).doesNotContainKey(hidden.getRoom());
        HostedRoom listed = rooms.get(byRomeo.getRoom());
        assertThat(listed.getName()).isEqualTo("Verona square");

        DiscoverInfo room = ServiceDiscoveryManager.getInstanceFor(juliet).discoverInfo(byRomeo.getRoom());
        assertThat(room.containsFeature("muc_public")).isTrue();
        assertThat(room.containsFeature("muc_temporary")).isTrue();
        assertThat(room.containsFeature("muc_open")).isTrue();
        assertThat(room.containsFeature("muc_unmoderated")).isTrue();
        assertThat(room.containsFeature("muc_semianonymous")).isTrue();
        assertThat(room.containsFeature("muc_unsecured")).isTrue();
        assertThat(room.containsFeature("urn:xmpp:occupant-id:0")).isTrue();
        assertThat(ServiceDiscoveryManager.getInstanceFor(juliet).discoverItems(byRomeo.getRoom()).getItems())
                .extracting(i -> i.getEntityID().toString()).containsExactly(byRomeo.getRoom() + "/romeo");
        leaveAll(byRomeo, hidden);
    }

    @Test
    void aSelfPingIsAnsweredWhileJoined() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        EntityFullJid self = JidCreate.entityFullFrom(byRomeo.getRoom() + "/romeo");
        IQ answer = romeo.sendIqRequestAndWaitForResponse(new Ping(self));
        assertThat(answer.getType()).isEqualTo(IQ.Type.result);
        assertThatThrownBy(() -> juliet.sendIqRequestAndWaitForResponse(
                new Ping(JidCreate.entityFullFrom(byRomeo.getRoom() + "/juliet"))))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                        assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.not_acceptable));
        byRomeo.leave();
        assertThatThrownBy(() -> romeo.sendIqRequestAndWaitForResponse(new Ping(self)))
                .isInstanceOf(XMPPException.XMPPErrorException.class);
    }

    @Test
    void registeringWithARoomMakesAMemberWithAReservedNick() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = manager(juliet).getMultiUserChat(byRomeo.getRoom());
        FillableForm registration = byJuliet.getRegistrationForm().getFillableForm();
        registration.setAnswer("muc#register_roomnick", "jules");
        byJuliet.sendRegistrationForm(registration);
        assertThat(byJuliet.getReservedNickname()).isEqualTo("jules");
        assertThat(byRomeo.getMembers()).extracting(a -> a.getJid() + " " + a.getNick())
                .containsExactly("juliet@localhost jules");
        assertThat(errorJoining(mercutio, byRomeo.getRoom(), "jules", null)).isEqualTo(StanzaError.Condition.conflict);
        join(juliet, byRomeo.getRoom(), "jules");
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void theConfigurationFormSetsAdminsAndOwners() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MucConfigFormManager config = byRomeo.getConfigFormManager();
        assertThat(config.supportsRoomOwners()).isTrue();
        config.setRoomAdmins(List.of(mercutio.getUser().asBareJid()))
                .setRoomOwners(List.of(romeo.getUser().asBareJid(), juliet.getUser().asBareJid()))
                .submitConfigurationForm();
        assertThat(byRomeo.getAdmins()).extracting(a -> a.getJid().toString()).containsExactly("mercutio@localhost");
        assertThat(byRomeo.getOwners()).extracting(a -> a.getJid().toString())
                .containsExactlyInAnyOrder("romeo@localhost", "juliet@localhost");
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        byJuliet.getConfigFormManager().setRoomOwners(List.of(juliet.getUser().asBareJid())).submitConfigurationForm();
        assertThat(byJuliet.getOwners()).extracting(a -> a.getJid().toString()).containsExactly("juliet@localhost");
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void twoSessionsOfOneAccountShareANickAndBothGetTheRoom() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        XMPPTCPConnection julietsPhone = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "juliet",
                "juliet-pw", null).setResource("phone").build());
        try {
            MultiUserChat fromPhone = join(julietsPhone, byRomeo.getRoom(), "juliet");
            assertThat(errorJoining(mercutio, byRomeo.getRoom(), "juliet", null)).as("another account")
                    .isEqualTo(StanzaError.Condition.conflict);
            byRomeo.sendMessage("to both");
            assertThat(nextBody(byJuliet).getBody()).isEqualTo("to both");
            assertThat(nextBody(fromPhone).getBody()).isEqualTo("to both");
            assertThat(byRomeo.getOccupantsCount()).as("one nick, shown once").isEqualTo(2);
            fromPhone.leave();
            byRomeo.sendMessage("still here?");
            assertThat(nextBody(byJuliet).getBody()).isEqualTo("still here?");
        } finally {
            julietsPhone.disconnect();
        }
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void realJidsAreShownOnlyToModeratorsUntilTheRoomIsNonAnonymous() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        EntityFullJid mercutioInRoom = JidCreate.entityFullFrom(byRomeo.getRoom() + "/mercutio");
        eventually(() -> byJuliet.getOccupant(mercutioInRoom) != null, "Juliet sees Mercutio");
        assertThat((Object) byJuliet.getOccupant(mercutioInRoom).getJid()).as("semi-anonymous").isNull();
        eventually(() -> byRomeo.getOccupant(mercutioInRoom) != null, "Romeo sees Mercutio");
        assertThat(byRomeo.getOccupant(mercutioInRoom).getJid().toString()).as("a moderator sees the real JID")
                .isEqualTo("mercutio@localhost/r");

        CompletableFuture<Message> notice = new CompletableFuture<>();
        juliet.addAsyncStanzaListener(s -> notice.complete((Message) s), s -> s instanceof Message m
                && byRomeo.getRoom().equals(m.getFrom()) && m.getExtension(MUCUser.class) != null
                && !m.getExtension(MUCUser.class).getStatus().isEmpty());
        FillableForm form = byRomeo.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_whois", "anyone");
        byRomeo.sendConfigurationForm(form);
        assertThat(notice.get(WAIT.toSeconds(), TimeUnit.SECONDS).getExtension(MUCUser.class).getStatus())
                .contains(MUCUser.Status.create(104), MUCUser.Status.create(172));
        assertThat(manager(juliet).getRoomInfo(byRomeo.getRoom()).isNonanonymous()).isTrue();
        // Presence sent from now on carries real JIDs to everyone.
        byMercutio.changeAvailabilityStatus("drawing", Presence.Mode.dnd);
        eventually(() -> byJuliet.getOccupant(mercutioInRoom).getJid() != null, "Juliet sees Mercutio's JID");
        leaveAll(byRomeo, byJuliet, byMercutio);
    }

    @Test
    void aNonOccupantCannotSpeakInTheRoom() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        Message intruding = mercutio.getStanzaFactory().buildMessageStanza().to(byRomeo.getRoom())
                .ofType(Message.Type.groupchat).setBody("a plague o' both your houses").build();
        assertThat(errorOf(mercutio, intruding)).isEqualTo(StanzaError.Condition.not_acceptable);
        byRomeo.leave();
    }

    @Test
    void theRoomArchivesItsMessagesUnderItsStanzaIdsAndAnyoneItAdmitsMayQuery() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        byJuliet.sendMessage("Thou knowest the mask of night is on my face");
        Message received = nextBody(byRomeo);
        StanzaIdElement stanzaId = StanzaIdElement.getStanzaId(received);
        assertThat(stanzaId).as("XEP-0359 stanza id by the room").isNotNull();
        assertThat(stanzaId.getBy()).isEqualTo(byRomeo.getRoom().toString());
        nextBody(byJuliet);

        // Mercutio is no occupant, but the room is open: he may read its archive, which has Juliet's message.
        MamManager archive = MamManager.getInstanceFor(manager(mercutio).getMultiUserChat(byRomeo.getRoom()));
        assertThat(archive.isSupported()).isTrue();
        eventually(() -> archive.queryMostRecentPage(null, 10).getMessages().stream()
                .anyMatch(m -> "Thou knowest the mask of night is on my face".equals(m.getBody())), "in the archive");
        MamManager.MamQuery query = archive.queryMostRecentPage(null, 10);
        assertThat(query.getPage().getMamResultExtensions()).extracting(MamElements.MamResultExtension::getId)
                .contains(stanzaId.getId());
        assertThat(query.getMessages()).allSatisfy(m -> assertThat(m.getFrom().asBareJid().toString()).isEqualTo(byRomeo.getRoom().toString()));

        // A members-only room is read by its members only: an outsider is refused.
        MultiUserChat closed = instantRoom();
        FillableForm form = closed.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_membersonly", true);
        closed.sendConfigurationForm(form);
        closed.sendMessage("for members");
        nextBody(closed);
        MamManager closedArchive = MamManager.getInstanceFor(manager(mercutio).getMultiUserChat(closed.getRoom()));
        assertThat(closedArchive.isSupported()).as("the room says it archives, as anyone may see").isTrue();
        assertThatThrownBy(() -> closedArchive.queryMostRecentPage(null, 10)).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        leaveAll(byRomeo, byJuliet, closed);
    }

    @Test
    void aDestroyedRoomTakesItsArchiveWithItAndANewRoomOfThatNameStartsEmpty() throws Exception {
        // §10.9 and XEP-0313: the archive goes with the room (removed by the archive service on room.destroyed).
        aNewRoomOfTheSameNameStartsEmptyAfter("A plague o' both your houses",
                room -> room.destroy("the feud is over", null));
    }

    @Test
    void aTemporaryRoomLeftByItsLastOccupantTakesItsArchiveWithIt() throws Exception {
        // §10.1.1: a temporary room (the default configuration) is destroyed when its last occupant leaves.
        aNewRoomOfTheSameNameStartsEmptyAfter("Wherefore art thou Romeo", MultiUserChat::leave);
    }

    /** How a room of Romeo's comes to an end. */
    private interface RoomEnding {
        void end(MultiUserChat room) throws Exception;
    }

    /**
     * Romeo says {@code line} in a new room of his, which the room archives; {@code ending} ends the room; Juliet makes
     * a room of the same name (Romeo's client still holds the old one's state). Whoever reads the new room's archive
     * must not find what was said in the old one.
     */
    private static void aNewRoomOfTheSameNameStartsEmptyAfter(String line, RoomEnding ending) throws Exception {
        MultiUserChat byRomeo = instantRoom();
        EntityBareJid address = byRomeo.getRoom();
        byRomeo.sendMessage(line);
        nextBody(byRomeo);
        MamManager archive = MamManager.getInstanceFor(manager(mercutio).getMultiUserChat(address));
        assertThat(archive.isSupported()).isTrue();
        eventually(() -> !archive.queryMostRecentPage(null, 10).getMessages().isEmpty(), "in the archive");

        ending.end(byRomeo);
        MultiUserChat again = manager(juliet).getMultiUserChat(address);
        again.create(Resourcepart.from("juliet")).makeInstant();

        eventually(() -> archive.queryMostRecentPage(null, 10).getMessages().isEmpty(), "the old archive is gone");
        leaveAll(again);
    }

    @Test
    void aModeratorRetractsAMessageForEveryoneTheHistoryAndTheArchive() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        byJuliet.sendMessage("DM me for free magic potions");
        String spam = StanzaIdElement.getStanzaId(nextBody(byRomeo)).getId();
        nextBody(byJuliet);
        byRomeo.sendMessage("Peace, peace");
        nextBody(byJuliet);
        nextBody(byRomeo);

        // Juliet is a participant, not a moderator.
        assertThat(RawIq.errorOf(juliet, moderate(byRomeo.getRoom(), spam))).isEqualTo(StanzaError.Condition.forbidden);
        StanzaCollector announcements = juliet.createStanzaCollector(stanza -> stanza instanceof Message m
                && m.getExtensionElement("retract", "urn:xmpp:message-retract:1") != null);
        try {
            romeo.sendIqRequestAndWaitForResponse(moderate(byRomeo.getRoom(), spam));
            Message announcement = announcements.nextResult(WAIT.toMillis());
            assertThat(announcement).as("the room tells Juliet").isNotNull();
            String xml = announcement.toXML().toString();
            assertThat(announcement.getFrom().toString()).isEqualTo(byRomeo.getRoom().toString());
            assertThat(xml).contains("id='" + spam + "'", "urn:xmpp:message-moderate:1", "spam, not wit");
        } finally {
            announcements.cancel();
        }

        // A newcomer's history no longer has it; the archive keeps a tombstone in its place.
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        assertThat(nextBody(byMercutio).getBody()).isEqualTo("Peace, peace");
        MamManager archive = MamManager.getInstanceFor(byMercutio);
        assertThat(archive.isSupported()).isTrue();
        eventually(() -> archive.queryMostRecentPage(null, 10).getMessages().stream()
                .noneMatch(m -> "DM me for free magic potions".equals(m.getBody())), "the archive tombstoned it");
        assertThat(archive.queryMostRecentPage(null, 10).getMessages())
                .anySatisfy(m -> assertThat(m.toXML().toString()).contains("retracted", "moderated"));
        leaveAll(byRomeo, byJuliet, byMercutio);
    }

    @Test
    void anOwnerSetsTheRoomsAvatarWhichAnyoneSeesBeforeEntering() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        byte[] png = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z"
                + "8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        VCard avatar = new VCard();
        avatar.setAvatar(png, "image/png");
        avatar.setTo(byRomeo.getRoom());
        avatar.setType(IQ.Type.set);

        // Juliet is no owner.
        VCard byJulietAttempt = new VCard();
        byJulietAttempt.setAvatar(png, "image/png");
        byJulietAttempt.setTo(byRomeo.getRoom());
        byJulietAttempt.setType(IQ.Type.set);
        assertThatThrownBy(() -> juliet.sendIqRequestAndWaitForResponse(byJulietAttempt))
                .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));

        StanzaCollector changes = juliet.createStanzaCollector(stanza -> stanza instanceof Message m
                && MUCUser.from(m) != null && MUCUser.from(m).getStatus().contains(MUCUser.Status.create(104)));
        try {
            romeo.sendIqRequestAndWaitForResponse(avatar);
            assertThat(changes.<Message>nextResult(WAIT.toMillis())).as("occupants hear of it with 104").isNotNull();
        } finally {
            changes.cancel();
        }

        // Mercutio, outside the room, sees its hash in the room info and fetches the vCard.
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(png));
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(mercutio).discoverInfo(byRomeo.getRoom());
        assertThat(info.containsFeature("vcard-temp")).isTrue();
        assertThat(DataForm.from(info).getField("muc#roominfo_avatarhash").getValuesAsString()).containsExactly(hash);
        VCard fetched = VCardManager.getInstanceFor(mercutio).loadVCard(byRomeo.getRoom());
        assertThat(fetched.getAvatar()).isEqualTo(png);
        assertThat(fetched.getAvatarHash()).isEqualTo(hash);

        // An empty vCard takes it away.
        VCard empty = new VCard();
        empty.setTo(byRomeo.getRoom());
        empty.setType(IQ.Type.set);
        romeo.sendIqRequestAndWaitForResponse(empty);
        DiscoverInfo after = ServiceDiscoveryManager.getInstanceFor(mercutio).discoverInfo(byRomeo.getRoom());
        assertThat(DataForm.from(after).getField("muc#roominfo_avatarhash")).isNull();
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void anOwnerPutsAHatOnAnOccupantThatEveryoneSeesAndNobodyCanForge() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        EntityFullJid julietInRoom = JidCreate.entityFullFrom(byRomeo.getRoom() + "/juliet");
        AdHocCommandManager commands = AdHocCommandManager.getInstance(romeo);
        assertThat(commands.discoverCommands(byRomeo.getRoom()).getItems()).extracting(DiscoverItems.Item::getNode)
                .containsExactlyInAnyOrder("urn:xmpp:hats:commands:don", "urn:xmpp:hats:commands:doff");
        assertThat(AdHocCommandManager.getInstance(juliet).discoverCommands(byRomeo.getRoom()).getItems())
                .as("a participant may run none").isEmpty();

        AdHocCommand don = commands.getRemoteCommand(byRomeo.getRoom(), "urn:xmpp:hats:commands:don");
        FillableForm form = don.execute().asExecutingOrThrow().getFillableForm();
        form.setAnswer("accountjid", "juliet@localhost");
        form.setAnswer("hat", "urn:example:hats#nurse");
        form.setAnswer("hat_title", "Nurse");
        assertThat(don.complete(form.getSubmitForm()).isCompleted()).isTrue();
        eventually(() -> hatsOf(byRomeo.getOccupantPresence(julietInRoom)).contains("urn:example:hats#nurse"),
                "Romeo sees Juliet's hat");

        // Juliet, a participant, cannot hand out hats; nor can she put one on herself in her presence.
        AdHocCommand byJulietDon = AdHocCommandManager.getInstance(juliet).getRemoteCommand(byRomeo.getRoom(),
                "urn:xmpp:hats:commands:don");
        assertThatThrownBy(byJulietDon::execute).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        Presence forged = juliet.getStanzaFactory().buildPresenceStanza().to(julietInRoom).setStatus("crowned")
                .addExtension(new StandardExtensionElement("hats", "urn:xmpp:hats:0")).build();
        juliet.sendStanza(forged);
        eventually(() -> "crowned".equals(byRomeo.getOccupantPresence(julietInRoom).getStatus()), "new status");
        assertThat(hatsOf(byRomeo.getOccupantPresence(julietInRoom))).containsExactly("urn:example:hats#nurse");

        AdHocCommand doff = commands.getRemoteCommand(byRomeo.getRoom(), "urn:xmpp:hats:commands:doff");
        FillableForm off = doff.execute().asExecutingOrThrow().getFillableForm();
        off.setAnswer("accountjid", "juliet@localhost");
        off.setAnswer("hat", "urn:example:hats#nurse");
        assertThat(doff.complete(off.getSubmitForm()).isCompleted()).isTrue();
        eventually(() -> hatsOf(byRomeo.getOccupantPresence(julietInRoom)).isEmpty(), "the hat is off");
        leaveAll(byRomeo, byJuliet);
    }

    @Test
    void aRoomThatBroadcastsOnlyModeratorsPresenceHidesParticipants() throws Exception {
        MultiUserChat byRomeo = instantRoom();
        FillableForm form = byRomeo.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_presencebroadcast", List.of("moderator"));
        byRomeo.sendConfigurationForm(form);
        assertThat(byRomeo.getConfigurationForm().getField("muc#roomconfig_presencebroadcast").getValuesAsString())
                .containsExactly("moderator");

        MultiUserChat byJuliet = join(juliet, byRomeo.getRoom(), "juliet");
        MultiUserChat byMercutio = join(mercutio, byRomeo.getRoom(), "mercutio");
        // Each sees the moderator and itself; neither participant sees the other.
        eventually(() -> byMercutio.getOccupants().size() == 2, "Mercutio sees Romeo and himself");
        assertThat(byMercutio.getOccupants()).extracting(j -> j.getResourceOrThrow().toString())
                .containsExactlyInAnyOrder("romeo", "mercutio");
        assertThat(byJuliet.getOccupants()).extracting(j -> j.getResourceOrThrow().toString())
                .containsExactlyInAnyOrder("romeo", "juliet");
        eventually(() -> byRomeo.getOccupantsCount() == 1, "Romeo, a moderator, is the only one broadcast");
        // Messages still reach everyone.
        byMercutio.sendMessage("A plague");
        assertThat(nextBody(byJuliet).getBody()).isEqualTo("A plague");
        leaveAll(byRomeo, byJuliet, byMercutio);
    }

    /** The hat URIs in an occupant's presence (none without one). */
    private static List<String> hatsOf(Presence presence) {
        if (presence == null) {
            return List.of();
        }
        String xml = presence.toXML().toString();
        return java.util.regex.Pattern.compile("<hat [^>]*uri='([^']*)'").matcher(xml).results()
                .map(match -> match.group(1)).toList();
    }

    /** XEP-0425 §4: a moderator's request to retract the message with the room's stanza id {@code id}. */
    private static RawIq moderate(EntityBareJid room, String id) {
        return RawIq.set(room, "moderate", "urn:xmpp:message-moderate:1", java.util.Map.of("id", id),
                "<retract xmlns='urn:xmpp:message-retract:1'/><reason>spam, not wit</reason>");
    }

    // ---- helpers ----

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-pw", null)
                .setResource("r").build());
    }

    private static MultiUserChatManager manager(XMPPTCPConnection connection) {
        return MultiUserChatManager.getInstanceFor(connection);
    }

    private static EntityBareJid nextRoom() throws Exception {
        return JidCreate.entityBareFrom("room" + ROOMS.incrementAndGet() + "@conference.localhost");
    }

    /** A new room of Romeo's, accepted as an instant room. */
    private static MultiUserChat instantRoom() throws Exception {
        MultiUserChat room = manager(romeo).getMultiUserChat(nextRoom());
        room.create(Resourcepart.from("romeo")).makeInstant();
        return room;
    }

    private static MultiUserChat join(XMPPTCPConnection connection, EntityBareJid room, String nick) throws Exception {
        MultiUserChat chat = manager(connection).getMultiUserChat(room);
        chat.join(Resourcepart.from(nick));
        return chat;
    }

    /** The condition of the error that entering {@code room} as {@code nick} gets. */
    private static StanzaError.Condition errorJoining(XMPPTCPConnection connection, EntityBareJid room, String nick,
                                                      String password) throws Exception {
        MultiUserChat chat = manager(connection).getMultiUserChat(room);
        MucEnterConfiguration.Builder enter = chat.getEnterConfigurationBuilder(Resourcepart.from(nick));
        if (password != null) {
            enter.withPassword(password);
        }
        try {
            chat.join(enter.build());
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
        throw new AssertionError("entering " + room + " as " + nick + " succeeded");
    }

    /** The condition of the error a message gets back. */
    private static StanzaError.Condition errorOf(XMPPTCPConnection connection, Message message) throws Exception {
        StanzaCollector collector = connection.createStanzaCollectorAndSend(
                new AndFilter(new StanzaIdFilter(message), MessageTypeFilter.ERROR), message);
        try {
            Message error = collector.nextResult(WAIT.toMillis());
            assertThat(error).as("an error for %s", message.getBody()).isNotNull();
            return error.getError().getCondition();
        } finally {
            collector.cancel();
        }
    }

    /** The next groupchat message with a body (the subject and status messages have none). */
    static Message nextBody(MultiUserChat chat) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = chat.nextMessage(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (message != null && message.getBody() != null) {
                return message;
            }
        }
        throw new AssertionError("no message in " + chat.getRoom());
    }

    /** Waits, a bounded time, for {@code condition}. */
    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void leaveAll(MultiUserChat... chats) throws Exception {
        for (MultiUserChat chat : chats) {
            if (chat.isJoined()) {
                chat.leave();
            }
        }
    }
}
