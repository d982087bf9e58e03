package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.testclients.XmppClients;
import io.aviary.xmpp.xml.XmlElement;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

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
     * lifecycles have stopped; here one handler is still busy, reading the database for two seconds.
     */
    @Test
    void whatTheBusStillHandlesWhenTheStopBeginsReachesTheDatabaseBeforeItCloses() throws Exception {
        AviaryTestServer server = AviaryTestServer.start();
        try {
            CompletableFuture<Integer> read = new CompletableFuture<>();
            CountDownLatch handling = slowReadOnTheBus(server, read);
            assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();

            server.close();

            assertThat(read).as("the handler's reads, when the stop has returned").isCompleted();
            assertThat(read.join()).isGreaterThan(10);
        } finally {
            server.close();
        }
    }

    /**
     * The same at a SIGTERM, in a server process of its own: H2 closed its database from a JVM shutdown hook of its
     * own, as the stop began, so the bus's handlers failed on a closed database whatever the stop waited for (found at
     * the stop after a benchmark: 874 presence broadcasts failed). {@link io.aviary.standalone.StopOnSignal} now
     * closes the server before the JVM's shutdown begins.
     */
    @Test
    void aSigtermLeavesTheDatabaseOpenUntilTheBusHasHandledWhatItHeld(@TempDir Path dir) throws Exception {
        Path outcome = dir.resolve("outcome");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), SigtermDuringBusWork.class.getName(),
                dir.resolve("data").toString(), outcome.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!(Files.exists(outcome) && Files.readString(outcome).contains("handling"))) {
                assertThat(child.isAlive()).as("the server process runs (see %s)", dir.resolve("child.log")).isTrue();
                assertThat(System.nanoTime() < deadline).as("the handler started within 90 s").isTrue();
                Thread.sleep(100);
            }
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(Files.readString(outcome)).as("the handler's reads during the stop").contains("read ");
        } finally {
            child.destroyForcibly();
        }
    }

    /**
     * Subscribes a handler that, once {@code server}'s bus hands it the message this publishes, reads the database for
     * two seconds and completes {@code read} with the number of reads (or the first failure); returns the latch counted
     * down when the handler begins.
     */
    static CountDownLatch slowReadOnTheBus(AviaryTestServer server, CompletableFuture<Integer> read) {
        InProcessBus bus = server.context().getBean(InProcessBus.class);
        DataSource database = server.context().getBean(DataSource.class);
        CountDownLatch handling = new CountDownLatch(1);
        bus.subscribe("shutdown-test", "test", message -> {
            handling.countDown();
            try {
                // Reads every 50 ms, as a busy server does: the pool hands out a connection used within the last
                // half second without checking it, which a database closed under it then fails.
                int reads = 0;
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); System.nanoTime() < until; ) {
                    Thread.sleep(50);
                    try (Connection connection = database.getConnection();
                         ResultSet result = connection.createStatement().executeQuery("SELECT 1")) {
                        result.next();
                        reads += result.getInt(1);
                    }
                }
                read.complete(reads);
            } catch (Exception e) {
                read.completeExceptionally(e);
            }
        });
        bus.publish("shutdown-test", "k", BusMessage.of(XmlElement.builder("message", "jabber:client").build()));
        return handling;
    }
}
