package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;

/**
 * A server told to stop (SIGTERM closes the application context) ends every stream with {@code system-shutdown}
 * (RFC 6120 §4.9.3.20): logged-in users and clients still negotiating alike, so that clients know to reconnect
 * later rather than seeing a dropped connection.
 */
class ShutdownEndToEndTest {

    @Test
    void everyStreamBoundOrNegotiatingEndsWithSystemShutdown() throws Exception {
        AviaryTestServer server = AviaryTestServer.start();
        try (RawXmppSocket negotiating = new RawXmppSocket(server.c2sPort());
             RawXmppSocket justConnected = new RawXmppSocket(server.c2sPort())) {
            server.accounts().register("alice", "alice-pw");
            XMPPTCPConnection alice = XmppClients.connect(
                    XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("desk").build());
            CompletableFuture<Exception> aliceClosedWith = new CompletableFuture<>();
            alice.addConnectionListener(new ConnectionListener() {
                @Override
                public void connectionClosedOnError(Exception e) {
                    aliceClosedWith.complete(e);
                }
            });
            negotiating.send(RawXmppSocket.HEADER);
            assertThat(negotiating.readUntil("</stream:features>", 5_000)).contains("<starttls");

            server.close();

            assertThat(aliceClosedWith.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(StreamErrorException.class,
                    e -> assertThat(e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.system_shutdown));
            assertThat(negotiating.readUntil("</stream:stream>", 10_000)).contains("<system-shutdown");
            assertThat(negotiating.awaitClose(10_000)).isTrue();
            // A client that had not even sent its header gets a header of ours before the error.
            assertThat(justConnected.readUntil("</stream:stream>", 10_000))
                    .contains("<stream:stream").contains("<system-shutdown");
        } finally {
            server.close();
        }
    }
}
