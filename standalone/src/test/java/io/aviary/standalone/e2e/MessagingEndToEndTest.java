package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.gateway.tls.ServerTls;
import io.aviary.gateway.tls.TlsProvider;
import io.aviary.testclients.XmppClients;
import io.aviary.testclients.ScramSha256Mechanism;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.jxmpp.jid.impl.JidCreate;

/** Alice and Bob log in with Smack over real sockets and chat both ways, on each TLS engine. */
@ParameterizedClass
@EnumSource(value = TlsProvider.class, names = {"OPENSSL", "JDK"})
class MessagingEndToEndTest {

    @Parameter
    TlsProvider provider;

    private static AviaryTestServer server;

    @BeforeParameterizedClassInvocation
    static void start(TlsProvider provider) {
        server = AviaryTestServer.start("aviary.gateway.tls-provider=" + provider);
        assertThat(server.accounts().register("alice", "alice-secret").ok()).isTrue();
        assertThat(server.accounts().register("bob", "bob-secret").ok()).isTrue();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
    }

    @Test
    void theRequestedEngineIsInUse() {
        assertThat(server.context().getBean(ServerTls.class).provider()).isEqualTo(ServerTls.engine(provider));
    }

    @Test
    void startTlsWithScramSha256AndDirectTlsChatBothWays() throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", ScramSha256Mechanism.NAME).setResource("desk").build());
        XMPPTCPConnection bob = XmppClients.connect(
                XmppClients.directTls(server.directTlsPort(), "bob", "bob-secret", ScramSha256Mechanism.NAME).setResource("phone").build());
        try {
            assertThat(alice.isSecureConnection()).isTrue();
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/desk");
            assertThat(bob.getUser().toString()).isEqualTo("bob@localhost/phone");
            BlockingQueue<Message> aliceInbox = XmppClients.inbox(alice);
            BlockingQueue<Message> bobInbox = XmppClients.inbox(bob);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityBareFrom("bob@localhost")).ofType(Message.Type.chat)
                    .setBody("Hi Bob, it's Alice").build());
            Message toBob = XmppClients.next(bobInbox, Duration.ofSeconds(10));
            assertThat(toBob).isNotNull();
            assertThat(toBob.getBody()).isEqualTo("Hi Bob, it's Alice");
            assertThat(toBob.getFrom().toString()).isEqualTo("alice@localhost/desk");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                    .to(toBob.getFrom()).ofType(Message.Type.chat).setBody("Hello Alice").build());
            Message toAlice = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
            assertThat(toAlice).isNotNull();
            assertThat(toAlice.getBody()).isEqualTo("Hello Alice");
            assertThat(toAlice.getFrom().toString()).isEqualTo("bob@localhost/phone");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void everyScramVariantAndPlainOverTlsLogIn() throws Exception {
        // Smack's SCRAM-SHA-1-PLUS derives the tls-server-end-point hash from the wrong half of the
        // signature algorithm name, so -PLUS is proven by xmpp-core's own client instead.
        for (String mechanism : new String[] {"SCRAM-SHA-1", ScramSha256Mechanism.NAME, "PLAIN"}) {
            XMPPTCPConnection alice = XmppClients.connect(
                    XmppClients.startTls(server.c2sPort(), "alice", "alice-secret", mechanism).build());
            try {
                assertThat(alice.isAuthenticated()).as(mechanism).isTrue();
                assertThat(alice.getUsedSaslMechansism()).isEqualTo(mechanism);
            } finally {
                alice.disconnect();
            }
        }
    }
}
