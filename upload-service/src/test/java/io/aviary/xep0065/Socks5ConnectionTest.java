package io.aviary.xep0065;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.listen.ListeningPortException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The SOCKS5 side of the proxy with raw sockets: the handshake, pairing, activation, relaying and every bad input. */
class Socks5ConnectionTest {

    private static final byte[] NO_AUTH_GREETING = {5, 1, 0};

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Socks5Listener listener;

    private Transfers start(long maxBytes, Duration activationTimeout, int maxTransfers) {
        Proxy65Properties properties = new Proxy65Properties(null, "127.0.0.1", 0, null, 0,
                DataSize.ofBytes(maxBytes), Duration.ofSeconds(20), activationTimeout, maxTransfers);
        Transfers transfers = new Transfers(maxTransfers, maxBytes, meters);
        listener = new Socks5Listener(properties, transfers);
        listener.start();
        return transfers;
    }

    private Transfers start() {
        return start(DataSize.ofMegabytes(64).toBytes(), Duration.ofSeconds(20), 10);
    }

    @AfterEach
    void stop() {
        listener.close();
    }

    /** A taken port stops the start, and the proxy's event loops stop with it. */
    @Test
    void aTakenPortFailsTheStartAndLeavesNoLoopRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            Proxy65Properties properties = new Proxy65Properties(null, "127.0.0.1", taken.getLocalPort(), null, 0,
                    DataSize.ofMegabytes(1), Duration.ofSeconds(20), Duration.ofSeconds(20), 10);
            listener = new Socks5Listener(properties, new Transfers(10, DataSize.ofMegabytes(1).toBytes(), meters));

            assertThatThrownBy(listener::start).isInstanceOfSatisfying(ListeningPortException.class,
                    e -> assertThat(e.port().setting()).isEqualTo("aviary.proxy65.port"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!newLiveThreads(before).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(newLiveThreads(before)).isEmpty();
        }
    }

    private static List<String> newLiveThreads(Set<Thread> before) {
        // Netty's loop threads are not daemons: any of them left running keeps a JVM that failed to start alive.
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon()).map(Thread::getName).toList();
    }

    @Test
    void thePairIsRelayedBothWaysOnlyAfterActivationAndCounted() throws Exception {
        Transfers transfers = start();
        String hash = Transfers.hash("sid-1", "romeo@localhost/r", "juliet@localhost/j");
        try (Socket target = connected(hash); Socket requester = connected(hash)) {
            assertThat(transfers.activate(hash)).isEqualTo(Transfers.Activation.ACTIVATED);
            byte[] file = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(file);
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readFully(target, file.length));
            requester.getOutputStream().write(file);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(file);
            target.getOutputStream().write("thanks".getBytes(StandardCharsets.US_ASCII));
            assertThat(readFully(requester, 6)).isEqualTo("thanks".getBytes(StandardCharsets.US_ASCII));
            assertThat(transfers.activate(hash)).as("activated once").isEqualTo(Transfers.Activation.NOT_ALLOWED);
        }
        assertThat(meters.get("aviary.proxy65.transfers").counter().count()).isEqualTo(1);
        assertThat(meters.get("aviary.proxy65.bytes").counter().count()).isEqualTo(3 * 1024 * 1024 + 6);
    }

    @Test
    void whenTheSenderClosesTheReceiverGetsEverythingAndThenTheEnd() throws Exception {
        Transfers transfers = start();
        String hash = Transfers.hash("sid-2", "a@localhost/a", "b@localhost/b");
        try (Socket target = connected(hash); Socket requester = connected(hash)) {
            transfers.activate(hash);
            byte[] file = new byte[1024 * 1024];
            new Random(3).nextBytes(file);
            requester.getOutputStream().write(file);
            requester.close();
            assertThat(readFully(target, file.length)).isEqualTo(file);
            assertThat(target.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void activationNeedsBothConnectionsAndAKnownHash() throws Exception {
        Transfers transfers = start();
        String hash = Transfers.hash("sid-3", "a@localhost/a", "b@localhost/b");
        assertThat(transfers.activate(hash)).isEqualTo(Transfers.Activation.NO_SUCH_PAIR);
        try (Socket target = connected(hash)) {
            assertThat(transfers.activate(hash)).isEqualTo(Transfers.Activation.NOT_ALLOWED);
        }
    }

    @Test
    void aThirdConnectionForAHashIsNotAllowed() throws Exception {
        start();
        String hash = Transfers.hash("sid-4", "a@localhost/a", "b@localhost/b");
        try (Socket target = connected(hash); Socket requester = connected(hash); Socket third = socket()) {
            third.getOutputStream().write(NO_AUTH_GREETING);
            assertThat(readFully(third, 2)).containsExactly(5, 0);
            third.getOutputStream().write(connect(hash));
            assertRefused(third, Socks5Connection.NOT_ALLOWED);
        }
    }

    @Test
    void beyondTheMostTransfersANewHashIsNotAllowed() throws Exception {
        start(1024, Duration.ofSeconds(20), 1);
        try (Socket first = connected(Transfers.hash("s", "a@localhost/a", "b@localhost/b")); Socket second = socket()) {
            second.getOutputStream().write(NO_AUTH_GREETING);
            readFully(second, 2);
            second.getOutputStream().write(connect(Transfers.hash("t", "a@localhost/a", "b@localhost/b")));
            assertRefused(second, Socks5Connection.NOT_ALLOWED);
        }
    }

    @Test
    void aTransferOverItsByteLimitIsClosed() throws Exception {
        Transfers transfers = start(64 * 1024, Duration.ofSeconds(20), 10);
        String hash = Transfers.hash("sid-5", "a@localhost/a", "b@localhost/b");
        try (Socket target = connected(hash); Socket requester = connected(hash)) {
            transfers.activate(hash);
            CompletableFuture.runAsync(() -> {
                try {
                    requester.getOutputStream().write(new byte[1024 * 1024]);
                } catch (IOException expected) {
                    // the proxy closed the connection under the writer
                }
            });
            assertThat(drain(target)).isLessThanOrEqualTo(64 * 1024);
        }
    }

    @Test
    void aConnectionNeverActivatedIsClosedAfterTheActivationTimeout() throws Exception {
        start(1024, Duration.ofMillis(300), 10);
        try (Socket target = connected(Transfers.hash("sid-6", "a@localhost/a", "b@localhost/b"))) {
            assertThat(target.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aGreetingOfAnotherVersionIsRefused() throws Exception {
        start();
        assertGreetingRefused(new byte[] {4, 1, 0});
    }

    @Test
    void aGreetingWithoutNoAuthenticationIsRefused() throws Exception {
        start();
        assertGreetingRefused(new byte[] {5, 2, 1, 2}); // GSSAPI, username/password
    }

    @Test
    void aRequestOfAnotherVersionIsAGeneralFailure() throws Exception {
        start();
        byte[] request = connect(Transfers.hash("s", "a@localhost/a", "b@localhost/b"));
        request[0] = 4;
        assertRequestRefused(request, Socks5Connection.GENERAL_FAILURE);
    }

    @Test
    void bindAndUdpAssociateAreNotSupported() throws Exception {
        start();
        for (byte command : new byte[] {2, 3}) {
            byte[] request = connect(Transfers.hash("s", "a@localhost/a", "b@localhost/b"));
            request[1] = command;
            assertRequestRefused(request, Socks5Connection.COMMAND_NOT_SUPPORTED);
        }
    }

    @Test
    void anIpAddressIsNotSupported() throws Exception {
        start();
        assertRequestRefused(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 80}, Socks5Connection.ADDRESS_TYPE_NOT_SUPPORTED);
    }

    @Test
    void aDomainNameThatIsNoHashIsUnreachable() throws Exception {
        start();
        String hash = Transfers.hash("s", "a@localhost/a", "b@localhost/b");
        assertRequestRefused(connect(hash.substring(1)), Socks5Connection.HOST_UNREACHABLE);
        assertRequestRefused(connect("z" + hash.substring(1)), Socks5Connection.HOST_UNREACHABLE);
        assertRequestRefused(connect("example.org"), Socks5Connection.HOST_UNREACHABLE);
    }

    @Test
    void garbageIsClosedWithoutAProxyToTalkTo() throws Exception {
        start();
        assertGreetingRefused("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void assertGreetingRefused(byte[] greeting) throws IOException {
        try (Socket socket = socket()) {
            socket.getOutputStream().write(greeting);
            assertThat(readFully(socket, 2)).containsExactly(5, 0xFF);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private void assertRequestRefused(byte[] request, byte reply) throws IOException {
        try (Socket socket = socket()) {
            socket.getOutputStream().write(NO_AUTH_GREETING);
            assertThat(readFully(socket, 2)).containsExactly(5, 0);
            socket.getOutputStream().write(request);
            assertRefused(socket, reply);
        }
    }

    private static void assertRefused(Socket socket, byte reply) throws IOException {
        assertThat(readFully(socket, 10)).containsExactly(5, reply, 0, 1, 0, 0, 0, 0, 0, 0);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }

    /** A connection through the handshake for {@code hash}, checking the proxy's replies (XEP-0065 §5.3.3). */
    private Socket connected(String hash) throws IOException {
        Socket socket = socket();
        OutputStream out = socket.getOutputStream();
        out.write(NO_AUTH_GREETING);
        assertThat(readFully(socket, 2)).containsExactly(5, 0);
        byte[] request = connect(hash);
        out.write(request);
        byte[] reply = readFully(socket, request.length);
        byte[] expected = request.clone();
        expected[1] = Socks5Connection.SUCCEEDED;
        assertThat(reply).isEqualTo(expected);
        return socket;
    }

    private static byte[] connect(String address) {
        byte[] name = address.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[5 + name.length + 2];
        request[0] = 5;
        request[1] = 1;
        request[3] = 3;
        request[4] = (byte) name.length;
        System.arraycopy(name, 0, request, 5, name.length);
        return request;
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", listener.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static byte[] readFully(Socket socket, int length) {
        try {
            byte[] bytes = new byte[length];
            new DataInputStream(socket.getInputStream()).readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads until the proxy closes; the count of bytes read. */
    private static long drain(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            for (int read; (read = in.read(buffer)) != -1; ) {
                total += read;
            }
        } catch (java.net.SocketException reset) {
            // a reset after the proxy closed is an end too
        }
        return total;
    }
}
