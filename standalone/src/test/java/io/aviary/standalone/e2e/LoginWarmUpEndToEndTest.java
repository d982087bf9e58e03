package io.aviary.standalone.e2e;

import static io.aviary.testclients.XmppClients.assertStillChats;
import static io.aviary.testclients.XmppClients.connect;
import static io.aviary.testclients.XmppClients.inbox;
import static io.aviary.testclients.XmppClients.next;
import static io.aviary.testclients.XmppClients.startTls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aviary.gateway.warmup.LoginWarmUp;
import io.aviary.gateway.warmup.WarmUpAccounts;
import io.aviary.gateway.warmup.WarmUpReadiness;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;

/**
 * The gateway's start-up login warm-up (issue 19): a fresh server logs in to its own port over STARTTLS and
 * SCRAM-SHA-256 before it reports itself ready, as accounts no one else can use and that are gone afterwards, while
 * users who come early are served.
 */
class LoginWarmUpEndToEndTest {

    private static final String SCRAM = "SCRAM-SHA-256";

    @Test
    void aFreshServerLogsInToItselfBeforeReportingReadyAndLeavesNoAccountAnyoneCanUse() throws Exception {
        // Two at a time: long enough that the test sees the warm-up running when the server has started.
        try (AviaryTestServer server = AviaryTestServer.start("aviary.gateway.warm-up.logins=600",
                "aviary.gateway.warm-up.concurrency=2")) {
            ApplicationAvailability availability = server.context().getBean(ApplicationAvailability.class);
            WarmUpReadiness readiness = server.context().getBean(WarmUpReadiness.class);
            WarmUpAccounts warmUpAccounts = server.context().getBean(WarmUpAccounts.class);
            assertThat(availability.getReadinessState()).as("ready only after the warm-up")
                    .isEqualTo(ReadinessState.REFUSING_TRAFFIC);

            // Users who come before the probe says ready are served, and chat.
            server.accounts().register("alice", "alice-pw");
            server.accounts().register("bob", "bob-pw");
            XMPPTCPConnection alice = connect(startTls(server.c2sPort(), "alice", "alice-pw", SCRAM).build());
            XMPPTCPConnection bob = connect(startTls(server.c2sPort(), "bob", "bob-pw", SCRAM).build());
            try {
                BlockingQueue<Message> bobInbox = inbox(bob);
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to("bob@localhost")
                        .ofType(Message.Type.chat).setBody("early bird").build());
                Message received = next(bobInbox, Duration.ofSeconds(10));
                assertThat(received).isNotNull();
                assertThat(received.getBody()).isEqualTo("early bird");

                // Someone who learnt the warm-up accounts' names still needs their password.
                String warmUpUser = warmUpAccounts.prefix() + "1";
                assertThatThrownBy(() -> connect(startTls(server.c2sPort(), warmUpUser, "guessed", SCRAM).build()))
                        .isInstanceOf(SASLErrorException.class).hasMessageContaining("not-authorized");

                LoginWarmUp.Outcome outcome = readiness.outcome().get(60, TimeUnit.SECONDS);
                assertThat(outcome.failures()).isEmpty();
                assertThat(outcome.succeeded()).isEqualTo(600);
                assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

                // Afterwards the accounts are gone: nothing stored, no credentials for SASL, no session left.
                assertThat(server.accounts().exists(warmUpUser)).isFalse();
                assertThat(server.accounts().list()).noneMatch(name -> name.startsWith("warm-up-"));
                assertThat(warmUpAccounts.scram(warmUpUser, ScramAlgorithm.SHA_256)).isEmpty();
                SessionRegistry registry = server.context().getBean(SessionRegistry.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.sessions(
                        JidCreate.entityBareFrom(warmUpUser + "@localhost")).isEmpty());
                assertStillChats(alice);
                assertStillChats(bob);
            } finally {
                alice.disconnect();
                bob.disconnect();
            }
        }
    }

    @Test
    void aServerStoppedDuringItsWarmUpEndsItInsteadOfLoggingInToAClosedPort() throws Exception {
        AviaryTestServer server = AviaryTestServer.start("aviary.gateway.warm-up.logins=1000000",
                "aviary.gateway.warm-up.concurrency=2");
        WarmUpReadiness readiness = server.context().getBean(WarmUpReadiness.class);
        server.close();
        LoginWarmUp.Outcome outcome = readiness.outcome().get(30, TimeUnit.SECONDS);
        assertThat(outcome.succeeded()).isLessThan(1000000);
        // Left running, it would have gone on until ten logins had failed against the closed port.
        assertThat(outcome.failed()).isLessThan(10);
    }
}
