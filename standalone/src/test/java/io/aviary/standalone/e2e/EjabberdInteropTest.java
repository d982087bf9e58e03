package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.testclients.FreePorts;
import io.aviary.testclients.XmppClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Aviary (localhost) federating with a real ejabberd (ejabberd.test, Debian's package) on loopback ports: ejabberd
 * reaches Aviary as it reaches any server without SRV records (the domain's address, on its outgoing_s2s_port), Aviary
 * reaches ejabberd through a static route. Their users chat both ways and complete a presence subscription, over
 * STARTTLS with Server Dialback. Skipped, saying why, without ejabberd or root.
 */
class EjabberdInteropTest {

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



    @Test
    void usersOfAviaryAndEjabberdChatBothWays() throws Exception {
        Interop.chat(alice, "romeo@ejabberd.test", "hello ejabberd");
        assertThat(Interop.received(romeoInbox, "hello ejabberd", ejabberd::log).getFrom().toString()).isEqualTo("alice@localhost/desk");
        Interop.chat(romeo, "alice@localhost/desk", "hello Aviary");
        assertThat(Interop.received(aliceInbox, "hello Aviary", ejabberd::log).getFrom().toString()).isEqualTo("romeo@ejabberd.test/phone");

        MeterRegistry meters = aviary.context().getBean(MeterRegistry.class);
        assertThat(meters.get("xmpp.s2s.authentications").tag("method", "dialback").counters())
                .as("Server Dialback both ways").hasSize(2);
    }

    @Test
    void theyCompleteAPresenceSubscriptionBothWaysAndSeeEachOthersPresence() throws Exception {
        Interop.subscribeBothWays(alice, romeo, ejabberd::log);
    }

}
