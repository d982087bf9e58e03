package io.aviary.cluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.s2s.Federation;
import io.aviary.testclients.XmppClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Federation in a cluster: two s2s instances with one dialback secret, and a remote server played by this test
 * (remote.test, on a loopback port, without TLS for brevity). A remote domain's outgoing stream is made by whichever
 * instance owns its partition of the s2s topic; the remote server checks the key it got at the other instance (it may
 * reach any instance of the domain), which must vouch for it; when the owning instance stops, the next stanza for the
 * domain goes out on a new stream from the other one; when an instance is killed while stanzas wait for its stream,
 * they go out from the next one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern RESULT_KEY = Pattern.compile("<db:result[^>]*>([^<]+)</db:result>");

    private static TestCluster cluster;
    private static ConfigurableApplicationContext gateway;
    private static ConfigurableApplicationContext s2sA;
    private static ConfigurableApplicationContext s2sB;
    private static ServerSocket remote;
    private static List<String> federation;

    @BeforeAll
    static void start() throws Exception {
        remote = new ServerSocket();
        remote.bind(new InetSocketAddress("127.0.0.1", 0));
        remote.setSoTimeout((int) WAIT.toMillis());
        federation = List.of("--aviary.s2s.dialback-secret=one-secret-for-the-cluster",
                "--aviary.s2s.tls-required=false", "--aviary.s2s.routes[remote.test]=127.0.0.1:" + remote.getLocalPort());
        cluster = TestCluster.start();
        ConfigurableApplicationContext roster = cluster.startRoster();
        cluster.startRouter();
        cluster.startSession();
        gateway = cluster.startGateway("gw-1");
        s2sA = cluster.startS2s(federation);
        s2sB = cluster.startS2s(federation);
        cluster.accounts(roster).register("alice", "alice-pw");
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    @Order(1)
    void eachInstanceVouchesForTheOthersKeysAndTheStreamMovesWhenItsOwnerStops() throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(TestCluster.c2sPort(gateway), "alice",
                "alice-pw", null).setResource("desk").build());
        try {
            send(alice, "first");
            try (Socket stream = remote.accept()) {
                String key = acceptDialback(stream, "r-1");
                // The remote server may reach any instance of localhost: both know the key.
                assertThat(verify(port(s2sA), "r-1", key)).as("instance A vouches").contains("type='valid'");
                assertThat(verify(port(s2sB), "r-1", key)).as("instance B vouches").contains("type='valid'");
                assertThat(verify(port(s2sB), "r-1", key + "x")).as("a forged key").contains("type='invalid'");
                write(stream, "<db:result from='remote.test' to='localhost' type='valid'/>");
                assertThat(readUntil(stream.getInputStream(), "</message>")).contains("<body>first</body>");

                ConfigurableApplicationContext owner = outgoingStreams(s2sA) > 0 ? s2sA : s2sB;
                ConfigurableApplicationContext other = owner == s2sA ? s2sB : s2sA;
                owner.close();

                // The other instance now owns every partition of the s2s topic, remote.test's too.
                send(alice, "second");
                try (Socket again = remote.accept()) {
                    acceptDialback(again, "r-2");
                    write(again, "<db:result from='remote.test' to='localhost' type='valid'/>");
                    assertThat(readUntil(again.getInputStream(), "</message>")).contains("<body>second</body>");
                    assertThat(outgoingStreams(other)).isEqualTo(1.0);
                }
            }
        } finally {
            alice.disconnect();
        }
    }

    /**
     * The instance that owns remote.test is killed (-9) while stanzas wait for its stream to be set up: they were held
     * on the bus, so the instance that takes the domain over sends them, with one sent while no instance ran, in order.
     */
    @Test
    @Order(2)
    void stanzasWaitingForAStreamOnAKilledInstanceGoOutOnTheNextOnesStream() throws Exception {
        s2sA.close(); // a lone instance, in a process of its own, is to own every remote domain
        s2sB.close();
        List<String> slowSetUp = new ArrayList<>(federation);
        slowSetUp.add("--aviary.s2s.connect-timeout=5m");
        TestCluster.ServiceProcess doomed = cluster.startS2sProcess("s2s-doomed", slowSetUp);
        XMPPTCPConnection alice = XmppClients.connect(XmppClients.startTls(TestCluster.c2sPort(gateway), "alice",
                "alice-pw", null).setResource("phone").build());
        try {
            send(alice, "q1");
            try (Socket neverAuthenticated = remote.accept()) {
                neverAuthenticated.setSoTimeout((int) WAIT.toMillis());
                readUntil(neverAuthenticated.getInputStream(), "<stream:stream");
                send(alice, "q2");
                send(alice, "q3");
                Thread.sleep(2_000); // the doomed instance takes them from the bus and queues them for the stream
                doomed.process().destroyForcibly().waitFor();
            }
            send(alice, "q4");
            cluster.startS2s(federation);
            // The new instance gets the partitions once the dead one's Kafka session has timed out.
            remote.setSoTimeout((int) Duration.ofSeconds(90).toMillis());
            try (Socket stream = remote.accept()) {
                acceptDialback(stream, "r-3");
                write(stream, "<db:result from='remote.test' to='localhost' type='valid'/>");
                Matcher bodies = Pattern.compile("<body>([^<]*)</body>")
                        .matcher(readUntil(stream.getInputStream(), "<body>q4</body>"));
                List<String> received = new ArrayList<>();
                while (bodies.find()) {
                    received.add(bodies.group(1));
                }
                assertThat(received).containsExactly("q1", "q2", "q3", "q4");
            } finally {
                remote.setSoTimeout((int) WAIT.toMillis());
            }
        } finally {
            alice.disconnect();
        }
    }

    private static void send(XMPPTCPConnection from, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from("romeo@remote.test"))
                .ofType(Message.Type.chat).setBody(body).build());
    }

    /** As remote.test's server: answers an outgoing stream's header with stream id {@code id}; returns its dialback key. */
    private static String acceptDialback(Socket stream, String id) throws IOException {
        stream.setSoTimeout((int) WAIT.toMillis());
        assertThat(readUntil(stream.getInputStream(), "<stream:stream")).contains("to='remote.test'");
        write(stream, "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns:db='jabber:server:dialback' from='remote.test' to='localhost' id='" + id + "' version='1.0'>"
                + "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>");
        Matcher key = RESULT_KEY.matcher(readUntil(stream.getInputStream(), "</db:result>"));
        assertThat(key.find()).as("a dialback key").isTrue();
        return key.group(1);
    }

    /** As remote.test's server: asks the instance on {@code port} whether it issued {@code key} (XEP-0220 §2.3). */
    private static String verify(int port, String id, String key) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            write(socket, "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
                    + " xmlns:db='jabber:server:dialback' from='remote.test' to='localhost' version='1.0'>");
            readUntil(socket.getInputStream(), "</stream:features>");
            write(socket, "<db:verify from='remote.test' to='localhost' id='" + id + "'>" + key + "</db:verify>");
            return readUntil(socket.getInputStream(), "verify");
        }
    }

    private static double outgoingStreams(ConfigurableApplicationContext s2s) {
        return s2s.getBean(MeterRegistry.class).get("xmpp.s2s.streams").tag("direction", "out").gauge().value();
    }

    private static int port(ConfigurableApplicationContext s2s) {
        return s2s.getBean(Federation.class).port();
    }

    private static void write(Socket socket, String xml) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** What arrives until {@code marker} has arrived and the element around it is complete (bounded by the timeout). */
    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                String text = read.toString(StandardCharsets.UTF_8);
                int at = text.indexOf(marker);
                if (at >= 0 && text.indexOf('>', at) >= 0) {
                    return text;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return read.toString(StandardCharsets.UTF_8);
                }
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("'" + marker + "' did not arrive; got: " + read.toString(StandardCharsets.UTF_8), e);
        }
    }
}
