package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.service.InvitationIssuer;
import io.aviary.testclients.XmppClients;
import io.aviary.xep0401.Invitations;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaIdFilter;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.AdHocCommandResult;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/**
 * Invitations (XEP-0401): with registration closed, an invitation's token lets its holder register (XEP-0445) and
 * makes the invitee and the inviter mutual contacts; a token sent with a subscription from an existing account
 * approves it (XEP-0379). Tokens are used once; a reserved username is kept for its invitation.
 */
class InvitationEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static AviaryTestServer server;
    private static BystanderPair bystanders;
    private static XMPPTCPConnection romeo;
    private static EntityBareJid romeoJid;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.admins=prince@localhost");
        server.accounts().register("prince", "prince-pw");
        server.accounts().register("romeo", "romeo-pw");
        server.accounts().register("mercutio", "mercutio-pw");
        bystanders = new BystanderPair(server);
        romeo = login("romeo", "romeo-pw");
        romeoJid = JidCreate.entityBareFrom("romeo@localhost");
    }

    @AfterAll
    static void stop() {
        if (romeo != null) {
            romeo.disconnect();
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

    private static XMPPTCPConnection login(String user, String password) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, password, null).build());
    }

    private static Invitations invitations() {
        return server.context().getBean(Invitations.class);
    }

    /** A connection that has not logged in, for registering. */
    private static XMPPTCPConnection unauthenticated() throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(
                XmppClients.startTls(server.c2sPort(), "nobody", "none", null).build());
        connection.connect();
        return connection;
    }

    private static RawIq preauth(String token) {
        return RawIq.set(JidCreate.domainBareFromOrThrowUnchecked("localhost"), "preauth", "urn:xmpp:pars:0",
                Map.of("token", token), "");
    }

    @Test
    void anInvitationRegistersAnAccountThatIsTheInvitersContactAtOnce() throws Exception {
        InvitationIssuer.Issued issued = invitations().invite(romeoJid, true, Duration.ofDays(1));
        assertThat(issued.uri()).isEqualTo("xmpp:romeo@localhost?roster;preauth=" + issued.token() + ";ibr=y");
        XMPPTCPConnection fresh = unauthenticated();
        try {
            assertThat(featuresBeforeLogin()).as("XEP-0445's stream feature").contains("urn:xmpp:ibr-token:0");
            // Registration is closed: without a token nothing can be registered.
            assertThatThrownBy(() -> AccountManager.getInstance(fresh).createAccount(Localpart.from("juliet"), "pw"))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable));
            assertThat(errorOf(fresh, preauth("not-a-token"))).isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(errorOf(fresh, preauth(issued.token()))).as("accepted").isNull();
            AccountManager.getInstance(fresh).sensitiveOperationOverInsecureConnection(false);
            AccountManager.getInstance(fresh).createAccount(Localpart.from("juliet"), "juliet-pw");
        } finally {
            fresh.disconnect();
        }
        EntityBareJid julietJid = JidCreate.entityBareFrom("juliet@localhost");
        eventually(() -> entryType(Roster.getInstanceFor(romeo), julietJid) == ItemType.both,
                "Romeo's roster has Juliet, subscribed both ways");
        XMPPTCPConnection juliet = login("juliet", "juliet-pw");
        try {
            Roster roster = Roster.getInstanceFor(juliet);
            roster.reloadAndWait();
            assertThat(entryType(roster, romeoJid)).isEqualTo(ItemType.both);
        } finally {
            juliet.disconnect();
        }

        // Used once.
        XMPPTCPConnection again = unauthenticated();
        try {
            assertThat(errorOf(again, preauth(issued.token()))).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            again.disconnect();
        }
    }

    @Test
    void usersInviteWithTheXep0401CommandAndAdministratorsCreateAccountInvitations() throws Exception {
        AdHocCommandManager commands = AdHocCommandManager.getInstance(romeo);
        assertThat(commands.discoverCommands(JidCreate.domainBareFrom("localhost")).getItems())
                .extracting(DiscoverItems.Item::getNode).as("what a user may run").containsExactly("urn:xmpp:invite#invite");
        AdHocCommandResult invited = commands.getRemoteCommand(JidCreate.domainBareFrom("localhost"),
                "urn:xmpp:invite#invite").execute();
        assertThat(invited.isCompleted()).isTrue();
        String uri = invited.getResponse().getForm().getField("uri").getFirstValue();
        assertThat(uri).startsWith("xmpp:romeo@localhost?roster;preauth=").endsWith(";ibr=y");
        assertThat(invited.getResponse().getForm().getField("expire").getFirstValue()).isNotBlank();
        String token = uri.substring(uri.indexOf("preauth=") + "preauth=".length(), uri.indexOf(";ibr=y"));
        XMPPTCPConnection fresh = unauthenticated();
        try {
            assertThat(errorOf(fresh, preauth(token))).as("the command's token registers").isNull();
            AccountManager.getInstance(fresh).sensitiveOperationOverInsecureConnection(false);
            AccountManager.getInstance(fresh).createAccount(Localpart.from("rosaline"), "rosaline-pw");
        } finally {
            fresh.disconnect();
        }
        eventually(() -> entryType(Roster.getInstanceFor(romeo), JidCreate.entityBareFrom("rosaline@localhost"))
                == ItemType.both, "Romeo and Rosaline are contacts");

        // Account invitations are the administrators'.
        assertThatThrownBy(() -> commands.getRemoteCommand(JidCreate.domainBareFrom("localhost"),
                "urn:xmpp:invite#create-account").execute()).isInstanceOfSatisfying(XMPPException.XMPPErrorException.class,
                        e -> assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        XMPPTCPConnection prince = login("prince", "prince-pw");
        try {
            AdHocCommand create = AdHocCommandManager.getInstance(prince).getRemoteCommand(
                    JidCreate.domainBareFrom("localhost"), "urn:xmpp:invite#create-account");
            FillableForm form = create.execute().asExecutingOrThrow().getFillableForm();
            form.setAnswer("username", "friar");
            AdHocCommandResult created = create.complete(form.getSubmitForm());
            assertThat(created.getResponse().getForm().getField("uri").getFirstValue())
                    .startsWith("xmpp:friar@localhost?register;preauth=");
        } finally {
            prince.disconnect();
        }
    }

    @Test
    void aReservedUsernameIsKeptForItsInvitation() throws Exception {
        InvitationIssuer.Issued forTybalt = invitations().createAccount("tybalt", null, Duration.ofDays(1));
        assertThat(forTybalt.uri()).isEqualTo("xmpp:tybalt@localhost?register;preauth=" + forTybalt.token());
        InvitationIssuer.Issued anyone = invitations().createAccount(null, null, Duration.ofDays(1));
        XMPPTCPConnection other = unauthenticated();
        try {
            assertThat(errorOf(other, preauth(anyone.token()))).isNull();
            AccountManager.getInstance(other).sensitiveOperationOverInsecureConnection(false);
            assertThatThrownBy(() -> AccountManager.getInstance(other).createAccount(Localpart.from("tybalt"), "pw"))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.conflict));
        } finally {
            other.disconnect();
        }
        XMPPTCPConnection holder = unauthenticated();
        try {
            assertThat(errorOf(holder, preauth(forTybalt.token()))).isNull();
            AccountManager.getInstance(holder).sensitiveOperationOverInsecureConnection(false);
            assertThatThrownBy(() -> AccountManager.getInstance(holder).createAccount(Localpart.from("benvolio"), "pw"))
                    .as("the invitation is for tybalt").isInstanceOf(XMPPException.XMPPErrorException.class);
            AccountManager.getInstance(holder).createAccount(Localpart.from("tybalt"), "tybalt-pw");
        } finally {
            holder.disconnect();
        }
        assertThat(server.accounts().exists("tybalt")).isTrue();
        assertThat(server.accounts().exists("benvolio")).isFalse();
    }

    @Test
    void aSubscriptionWithTheInvitationsTokenIsApprovedForTheInviter() throws Exception {
        InvitationIssuer.Issued issued = invitations().invite(romeoJid, false, Duration.ofDays(1));
        XMPPTCPConnection mercutio = login("mercutio", "mercutio-pw");
        BlockingQueue<Presence> toMercutio = new LinkedBlockingQueue<>();
        mercutio.addAsyncStanzaListener(stanza -> toMercutio.add((Presence) stanza), stanza -> stanza instanceof Presence
                && (((Presence) stanza).getType() == Presence.Type.subscribed
                        || ((Presence) stanza).getType() == Presence.Type.subscribe));
        try {
            // A contact-only invitation creates no account.
            XMPPTCPConnection fresh = unauthenticated();
            try {
                assertThat(errorOf(fresh, preauth(issued.token()))).isEqualTo(StanzaError.Condition.item_not_found);
            } finally {
                fresh.disconnect();
            }
            mercutio.sendStanza(mercutio.getStanzaFactory().buildPresenceStanza().to(romeoJid)
                    .ofType(Presence.Type.subscribe).addExtension(StandardExtensionElement.builder("preauth",
                            "urn:xmpp:pars:0").addAttribute("token", issued.token()).build()).build());
            Presence first = toMercutio.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            Presence second = toMercutio.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(java.util.List.of(first.getType(), second.getType()))
                    .as("approved for Romeo, who asks back").containsExactlyInAnyOrder(Presence.Type.subscribed,
                            Presence.Type.subscribe);
            EntityBareJid mercutioJid = JidCreate.entityBareFrom("mercutio@localhost");
            eventually(() -> entryType(Roster.getInstanceFor(romeo), mercutioJid) == ItemType.from,
                    "Mercutio sees Romeo");
        } finally {
            mercutio.disconnect();
        }
    }

    /**
     * The error condition of the answer to {@code iq} on a stream that has not logged in, null for a result (Smack's
     * usual reply filter needs a bound JID, so the answer is matched by id).
     */
    @Test
    void theInvitationsAnAccountMadeGoWithTheAccount() throws Exception {
        server.accounts().register("lawrence", "lawrence-pw");
        EntityBareJid lawrence = JidCreate.entityBareFrom("lawrence@localhost");
        InvitationIssuer.Issued contact = invitations().invite(lawrence, true, Duration.ofDays(1));
        InvitationIssuer.Issued account = invitations().createAccount(null, lawrence, Duration.ofDays(1));
        InvitationIssuer.Issued romeos = invitations().invite(romeoJid, false, Duration.ofDays(1));
        XMPPTCPConnection connection = login("lawrence", "lawrence-pw");
        try {
            XmppClients.cancelAccount(connection);
        } finally {
            connection.disconnect();
        }
        eventually(() -> invitations().find(contact.token()).isEmpty() && invitations().find(account.token()).isEmpty(),
                "lawrence's invitations are gone");
        assertThat(invitations().find(romeos.token())).as("another account's invitation").isPresent();
        XMPPTCPConnection holder = unauthenticated();
        try {
            assertThat(errorOf(holder, preauth(account.token()))).as("the removed inviter's invitation registers no one")
                    .isNotNull();
        } finally {
            holder.disconnect();
        }
    }

    private static StanzaError.Condition errorOf(XMPPTCPConnection connection, RawIq iq) throws Exception {
        StanzaCollector collector = connection.createStanzaCollectorAndSend(new StanzaIdFilter(iq.getStanzaId()), iq);
        try {
            Stanza answer = collector.nextResult(WAIT.toMillis());
            assertThat(answer).as("an answer to %s", iq.toXML()).isNotNull();
            return answer.getError() == null ? null : answer.getError().getCondition();
        } finally {
            collector.cancel();
        }
    }

    /** The stream features after STARTTLS and before SASL. */
    private static String featuresBeforeLogin() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.step(RawXmppSocket.HEADER, "</stream:features>");
            raw.step("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed");
            raw.upgradeToTls();
            return raw.step(RawXmppSocket.HEADER, "</stream:features>");
        }
    }

    private static ItemType entryType(Roster roster, EntityBareJid jid) {
        RosterEntry entry = roster.getEntry(jid);
        return entry == null ? null : entry.getType();
    }

    private static void eventually(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }
}
