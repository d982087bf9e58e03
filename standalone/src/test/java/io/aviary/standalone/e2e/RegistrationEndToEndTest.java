package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.standalone.UserCommand;
import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.blocking.BlockingCommandManager;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/** XEP-0077 after login: changing one's password and cancelling one's account, with its side effects. */
class RegistrationEndToEndTest {

    private static AviaryTestServer server;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static XMPPTCPConnection login(String user, String password, String resource) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, password, null).setResource(resource).build());
    }

    @Test
    void aUserChangesOnlyTheirOwnPassword() throws Exception {
        server.accounts().register("alice", "old-secret");
        server.accounts().register("bob", "bob-secret");
        XMPPTCPConnection alice = login("alice", "old-secret", "desk");
        try {
            assertThat(RawIq.errorOf(alice, RawIq.set(null, "query", "jabber:iq:register",
                    "<username>bob</username><password>stolen</password>"))).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(RawIq.errorOf(alice, RawIq.set(null, "query", "jabber:iq:register",
                    "<username>alice</username><password/>"))).isEqualTo(StanzaError.Condition.bad_request);

            AccountManager.getInstance(alice).changePassword("new-secret");
        } finally {
            alice.disconnect();
        }
        assertThatThrownBy(() -> login("alice", "old-secret", "desk")).isInstanceOf(SASLErrorException.class);
        login("alice", "new-secret", "desk").disconnect();
        login("bob", "bob-secret", "desk").disconnect();
    }

    @Test
    void cancellingEndsEverySessionAndForgetsTheAccountsData() throws Exception {
        removedWithEverythingKeptForIt("carol", desk -> {
            // A <remove/> with company is a bad request and removes nothing.
            assertThat(RawIq.errorOf(desk, RawIq.set(null, "query", "jabber:iq:register",
                    "<remove/><username>carol</username>"))).isEqualTo(StanzaError.Condition.bad_request);
            XmppClients.cancelAccount(desk);
        });
    }

    /**
     * README's {@code user delete}, run while the server runs: the command has only the database, so it locks the
     * account and the server's admin service completes the removal as the admin API's does.
     */
    @Test
    void theOperatorsDeleteOnTheCommandLineEndsEverySessionAndForgetsTheAccountsData() throws Exception {
        removedWithEverythingKeptForIt("frank", desk -> assertThat(UserCommand.run(new String[] {"delete",
                "frank@localhost", "--aviary.data-dir=" + server.dataDir()})).isZero());
    }

    /**
     * Removes {@code user}, who has two sessions, some data and rooms, and checks whoever registers the name next gets
     * none of it: a friend's members-only room no longer counts them a member, and their own room goes on for its
     * members without them as owner.
     */
    private static void removedWithEverythingKeptForIt(String user, Removal removal) throws Exception {
        server.accounts().register(user, "first-secret");
        server.accounts().register(user + "-friend", "friend-secret");
        XMPPTCPConnection phone = login(user, "first-secret", "phone");
        XMPPTCPConnection desk = login(user, "first-secret", "desk");
        XMPPTCPConnection friend = login(user + "-friend", "friend-secret", "desk");
        EntityBareJid userJid = desk.getUser().asEntityBareJid();
        MultiUserChat den = membersOnlyRoom(desk, user + "-den", friend.getUser().asBareJid());
        MultiUserChat club = membersOnlyRoom(friend, user + "-club", userJid);
        VCard card = new VCard();
        card.setNickName("caz");
        VCardManager.getInstanceFor(desk).saveVCard(card);
        DefaultPrivateData prefs = new DefaultPrivateData("prefs", "carol:prefs");
        prefs.setValue("theme", "dark");
        PrivateDataManager.getInstanceFor(desk).setPrivateData(prefs);
        BlockingCommandManager.getInstanceFor(desk).blockContacts(List.of(JidCreate.from("mallory@localhost")));

        removal.remove(desk);

        // XEP-0077 §3.2: the server ends all the account's sessions.
        awaitDisconnected(desk);
        awaitDisconnected(phone);
        assertThatThrownBy(() -> login(user, "first-secret", "desk")).isInstanceOf(SASLErrorException.class);

        // Registering the name again starts from nothing.
        server.accounts().register(user, "second-secret");
        XMPPTCPConnection again = login(user, "second-secret", "desk");
        try {
            eventually(() -> club.getMembers().stream().noneMatch(m -> m.getJid().equals(userJid)),
                    "the friend's room forgets the removed member");
            assertThat(errorEntering(again, club.getRoom())).isEqualTo(StanzaError.Condition.registration_required);
            assertThat(errorEntering(again, den.getRoom())).as("no longer the owner")
                    .isEqualTo(StanzaError.Condition.registration_required);
            MultiUserChat denForFriend = MultiUserChatManager.getInstanceFor(friend).getMultiUserChat(den.getRoom());
            denForFriend.join(Resourcepart.from("friend"));
            assertThat(denForFriend.isJoined()).as("the room goes on for its members").isTrue();
            denForFriend.leave();
            assertThat(VCardManager.getInstanceFor(again).loadVCard().getNickName()).isNull();
            DefaultPrivateData noPrefs = (DefaultPrivateData) PrivateDataManager.getInstanceFor(again)
                    .getPrivateData("prefs", "carol:prefs");
            assertThat(noPrefs.getNames()).isEmpty();
            assertThat(BlockingCommandManager.getInstanceFor(again).getBlockList()).isEmpty();
        } finally {
            again.disconnect();
            friend.disconnect();
        }
    }

    /** A persistent members-only room of {@code owner}'s with {@code member}; the owner stays in it. */
    private static MultiUserChat membersOnlyRoom(XMPPTCPConnection owner, String name, BareJid member)
            throws Exception {
        MultiUserChat room = MultiUserChatManager.getInstanceFor(owner)
                .getMultiUserChat(JidCreate.entityBareFrom(name + "@conference.localhost"));
        room.create(Resourcepart.from("owner"));
        FillableForm form = room.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_persistentroom", true);
        form.setAnswer("muc#roomconfig_membersonly", true);
        room.sendConfigurationForm(form);
        room.grantMembership(member);
        return room;
    }

    private static StanzaError.Condition errorEntering(XMPPTCPConnection connection, EntityBareJid room)
            throws Exception {
        try {
            MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room).join(Resourcepart.from("again"));
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        }
        throw new AssertionError("entering " + room + " succeeded");
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private interface Removal {
        void remove(XMPPTCPConnection desk) throws Exception;
    }

    @Test
    void anotherAccountCannotBeCancelled() throws Exception {
        server.accounts().register("dave", "dave-secret");
        server.accounts().register("erin", "erin-secret");
        XMPPTCPConnection dave = login("dave", "dave-secret", "desk");
        try {
            assertThat(RawIq.errorOf(dave, RawIq.set(JidCreate.entityBareFrom("erin@localhost"), "query",
                    "jabber:iq:register", "<remove/>"))).isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            dave.disconnect();
        }
        login("erin", "erin-secret", "desk").disconnect();
    }

    private static void awaitDisconnected(XMPPTCPConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connection.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(connection.isConnected()).as("connection closed by the server").isFalse();
    }

}
