package io.aviary.cluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aviary.testclients.XmppClients;
import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Group chat in a cluster: the muc tier on Kafka serves a room whose occupants are on different gateways; the
 * router finds {@code conference.localhost} through the catalogue the muc tier publishes.
 */
class MucClusterEndToEndTest {

    private static final String PASSWORD = "cluster-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestCluster cluster;
    private static ConfigurableApplicationContext gateway1;
    private static ConfigurableApplicationContext gateway2;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start();
        ConfigurableApplicationContext roster = cluster.startRoster();
        cluster.startMuc();
        cluster.startSession();
        cluster.startRouter();
        gateway1 = cluster.startGateway("gw-1");
        gateway2 = cluster.startGateway("gw-2");
        for (String user : List.of("alice", "bob")) {
            cluster.accounts(roster).register(user, PASSWORD);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void occupantsOnTwoGatewaysChatInARoom() throws Exception {
        XMPPTCPConnection alice = login("alice", gateway1);
        XMPPTCPConnection bob = login("bob", gateway2);
        try {
            EntityBareJid room = JidCreate.entityBareFrom("council@conference.localhost");
            // The router learns of conference.localhost from the catalogue, read through a cache.
            await().atMost(WAIT).until(() -> MultiUserChatManager.getInstanceFor(alice).getMucServiceDomains()
                    .contains(JidCreate.domainBareFrom("conference.localhost")));
            MultiUserChat byAlice = MultiUserChatManager.getInstanceFor(alice).getMultiUserChat(room);
            byAlice.create(Resourcepart.from("alice")).makeInstant();
            MultiUserChat byBob = MultiUserChatManager.getInstanceFor(bob).getMultiUserChat(room);
            byBob.join(Resourcepart.from("bob"));

            byAlice.sendMessage("across gateways");
            Message received = nextBody(byBob);
            assertThat(received.getBody()).isEqualTo("across gateways");
            assertThat(received.getFrom().toString()).isEqualTo(room + "/alice");
            byBob.sendMessage("received");
            assertThat(nextBody(byAlice).getBody()).isEqualTo("across gateways");
            assertThat(nextBody(byAlice).getBody()).isEqualTo("received");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    private static Message nextBody(MultiUserChat chat) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Message message = chat.nextMessage(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (message != null && message.getBody() != null) {
                return message;
            }
        }
        throw new AssertionError("no message in " + chat.getRoom());
    }

    private static XMPPTCPConnection login(String user, ConfigurableApplicationContext gateway) throws Exception {
        return XmppClients.connect(XmppClients.startTls(TestCluster.c2sPort(gateway), user, PASSWORD, "SCRAM-SHA-1")
                .setResource("muc").build());
    }
}
