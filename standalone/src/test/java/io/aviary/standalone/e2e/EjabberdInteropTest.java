package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.XmppClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Aviary (localhost) federating with a real ejabberd (ejabberd.test, Debian's package) on loopback ports: ejabberd
 * reaches Aviary as it reaches any server without SRV records (the domain's address, on its outgoing_s2s_port), Aviary
 * reaches ejabberd through a static route. Their users chat both ways and complete a presence subscription, over
 * STARTTLS with Server Dialback. Skipped, saying why, without ejabberd or root.
 */
class EjabberdInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static EjabberdServer ejabberd;
    private static AviaryTestServer aviary;
    private static XMPPTCPConnection alice;
    private static XMPPTCPConnection romeo;
    private static BlockingQueue<Message> aliceInbox;
    private static BlockingQueue<Message> romeoInbox;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(EjabberdServer.missing() == null, EjabberdServer.missing());
        int aviaryPort = FreePorts.pick(1)[0];
        ejabberd = EjabberdServer.start("ejabberd.test", aviaryPort);
        ejabberd.register("romeo", "ejabberd.test", "romeo-pw");
        aviary = AviaryTestServer.start("aviary.s2s.port=" + aviaryPort,
                "aviary.s2s.routes[ejabberd.test]=127.0.0.1:" + ejabberd.s2sPort());
        aviary.accounts().register("alice", "alice-pw");
        alice = XmppClients.connect(XmppClients.startTls(aviary.c2sPort(), "alice", "alice-pw", null)
                .setResource("desk").build());
        romeo = XmppClients.connect(XmppClients.startTls(ejabberd.c2sPort(), "romeo", "romeo-pw", null)
                .setXmppDomain("ejabberd.test").setResource("phone").build());
        aliceInbox = XmppClients.inbox(alice);
        romeoInbox = XmppClients.inbox(romeo);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.disconnect();
        }
        if (romeo != null) {
            romeo.disconnect();
        }
        if (aviary != null) {
            aviary.close();
        }
        if (ejabberd != null) {
            ejabberd.close();
        }
    }

    private static void chat(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(Message.Type.chat)
                .setBody(body).build());
    }

    private static Message received(BlockingQueue<Message> inbox, String body) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = inbox.poll(200, TimeUnit.MILLISECONDS);
            if (message != null && body.equals(message.getBody())) {
                return message;
            }
        }
        throw new AssertionError("'" + body + "' did not arrive; ejabberd's log:\n" + ejabberd.log());
    }

    @Test
    void usersOfAviaryAndEjabberdChatBothWays() throws Exception {
        chat(alice, "romeo@ejabberd.test", "hello ejabberd");
        assertThat(received(romeoInbox, "hello ejabberd").getFrom().toString()).isEqualTo("alice@localhost/desk");
        chat(romeo, "alice@localhost/desk", "hello Aviary");
        assertThat(received(aliceInbox, "hello Aviary").getFrom().toString()).isEqualTo("romeo@ejabberd.test/phone");

        MeterRegistry meters = aviary.context().getBean(MeterRegistry.class);
        assertThat(meters.get("xmpp.s2s.authentications").tag("method", "dialback").counters())
                .as("Server Dialback both ways").hasSize(2);
    }

    @Test
    void theyCompleteAPresenceSubscriptionBothWaysAndSeeEachOthersPresence() throws Exception {
        Roster aliceRoster = Roster.getInstanceFor(alice);
        Roster romeoRoster = Roster.getInstanceFor(romeo);
        aliceRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        romeoRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
        BareJid romeoJid = JidCreate.bareFrom("romeo@ejabberd.test");
        BareJid aliceJid = JidCreate.bareFrom("alice@localhost");

        aliceRoster.createItemAndRequestSubscription(romeoJid, "Romeo", null);
        romeoRoster.createItemAndRequestSubscription(aliceJid, "Alice", null);

        awaitTrue(() -> aliceRoster.getEntry(romeoJid) != null && aliceRoster.getEntry(romeoJid).getType() == ItemType.both,
                "alice's roster has romeo with subscription both");
        awaitTrue(() -> romeoRoster.getEntry(aliceJid) != null && romeoRoster.getEntry(aliceJid).getType() == ItemType.both,
                "romeo's roster has alice with subscription both");
        awaitTrue(() -> aliceRoster.getPresence(romeoJid).isAvailable(), "alice sees romeo available");
        awaitTrue(() -> romeoRoster.getPresence(aliceJid).isAvailable(), "romeo sees alice available");
    }

    private static void awaitTrue(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what + "; ejabberd's log:\n" + ejabberd.log());
            }
            Thread.sleep(50);
        }
    }
}
