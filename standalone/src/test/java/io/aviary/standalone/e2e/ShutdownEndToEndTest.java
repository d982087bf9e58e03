package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.testclients.XmppClients;
import io.aviary.xmpp.xml.XmlElement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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

    /**
     * The stop lets the in-process bus handle what it holds before the stores close. At the stop of a busy server the
     * lanes are still handling the ended sessions' presences (they read rosters, write last activity) when the
     * lifecycles have stopped; here one handler is still busy, and reads the database after a second.
     */
    @Test
    void whatTheBusStillHandlesWhenTheStopBeginsReachesTheDatabaseBeforeItCloses() throws Exception {
        AviaryTestServer server = AviaryTestServer.start();
        try {
            InProcessBus bus = server.context().getBean(InProcessBus.class);
            DataSource database = server.context().getBean(DataSource.class);
            CompletableFuture<Integer> read = new CompletableFuture<>();
            CountDownLatch handling = new CountDownLatch(1);
            bus.subscribe("shutdown-test", "test", message -> {
                handling.countDown();
                try {
                    Thread.sleep(1_000);
                    try (Connection connection = database.getConnection();
                         ResultSet result = connection.createStatement().executeQuery("SELECT 1")) {
                        result.next();
                        read.complete(result.getInt(1));
                    }
                } catch (Exception e) {
                    read.completeExceptionally(e);
                }
            });
            bus.publish("shutdown-test", "k", BusMessage.of(XmlElement.builder("message", "jabber:client").build()));
            assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();

            server.close();

            assertThat(read).as("the handler's read, when the stop has returned").isCompletedWithValue(1);
        } finally {
            server.close();
        }
    }
}
