package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.InProcessBus;
import io.aviary.gateway.Gateway;
import io.aviary.session.SessionRegistry;
import io.aviary.testclients.XmppClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The gateway's resource limits (outbound queue, negotiation deadline, connection caps, HTTP timeouts), set small
 * here, hold against clients that misbehave on purpose; through all of it Bob and Carol keep chatting.
 */
class ConnectionLimitsEndToEndTest {

    private static final int PER_ADDRESS = 40;
    private static final String CAPPED_ADDRESS = "127.0.0.7";
    private static final int MAX_BACKLOG = 20;

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start(
                "aviary.gateway.outbound-pause=16KB",
                "aviary.gateway.max-outbound-queue=256KB",
                "aviary.gateway.negotiation-timeout=3s",
                "aviary.gateway.max-connections-per-address=" + PER_ADDRESS,
                "aviary.gateway.http.idle-timeout=2s",
                "aviary.gateway.http.read-timeout=2s",
                "aviary.bus.max-backlog=" + MAX_BACKLOG);
        for (String user : new String[] {"alice", "mallory"}) {
            assertThat(server.accounts().register(user, user + "-pw").ok()).isTrue();
        }
        bystanders = new BystanderPair(server);
    }

    @AfterAll
    static void stop() {
        bystanders.close();
        server.close();
    }

    @AfterEach
    void bystandersAreUnaffected() throws Exception {
        bystanders.stillChat();
    }

    @Test
    void aClientThatAsksButNeverReadsIsDisconnectedAtItsQueueCap() throws Exception {
        try (RawXmppSocket mallory = loggedIn("mallory", "flood", 4096)) {
            // A vCard of ~60 KB, then requests for it that are never read: each reply is that big.
            mallory.send("<iq type='set' id='v0'><vCard xmlns='vcard-temp'><DESC>" + "x".repeat(60_000)
                    + "</DESC></vCard></iq>").readUntil("id='v0'", 5000);
            for (int i = 1; i <= 400 && mallory.trySend("<iq type='get' id='v" + i + "'><vCard xmlns='vcard-temp'/></iq>"); i++) {
                // 400 replies would be 24 MB queued for a client that reads nothing.
            }
            assertThat(eventually(() -> !bound("mallory@localhost/flood"), Duration.ofSeconds(20)))
                    .as("the session that never read is ended").isTrue();
        }
    }

    @Test
    void aRecipientThatNeverReadsIsDisconnectedAndTheSenderIsNot() throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("a").build());
        try (RawXmppSocket mallory = loggedIn("mallory", "sink", 4096)) {
            String chunk = "y".repeat(10_000);
            // Headlines: once Mallory is gone the rest are dropped (RFC 6121 §8.5.3.2.1), where normal messages would
            // each bounce back to Alice as service-unavailable carrying the 10 KB body, and overflow her own small queue.
            for (int i = 0; i < 400 && bound("mallory@localhost/sink"); i++) {
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().ofType(Message.Type.headline)
                        .to(JidCreate.entityFullFrom("mallory@localhost/sink")).setBody(chunk).build());
            }
            assertThat(eventually(() -> !bound("mallory@localhost/sink"), Duration.ofSeconds(20)))
                    .as("the recipient that never read is ended").isTrue();
            XmppClients.assertStillChats(alice);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aStreamThatNegotiatesTooSlowlyEndsWithConnectionTimeout() throws Exception {
        try (RawXmppSocket slow = new RawXmppSocket(server.c2sPort())) {
            slow.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            // A space every half second keeps the stream from ever being idle.
            long until = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < until && slow.trySend(" ")
                    && !slow.readUntil("</stream:stream>", 500).contains("</stream:stream>")) {
                // keep trickling
            }
            assertThat(slow.received()).contains("<connection-timeout");
            assertThat(slow.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void connectionsBeyondThePerAddressCapAreRefusedWithPolicyViolation() throws Exception {
        List<RawXmppSocket> sockets = new ArrayList<>();
        try {
            String refusal = null;
            for (int i = 0; i <= PER_ADDRESS && refusal == null; i++) {
                // From an address of its own, so the other tests' clients on 127.0.0.1 are never near the cap.
                RawXmppSocket socket = new RawXmppSocket(server.c2sPort(), CAPPED_ADDRESS);
                sockets.add(socket);
                String answer = socket.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
                if (answer.contains("<stream:error>")) {
                    refusal = answer;
                }
            }
            assertThat(refusal).as("a connection past the cap is refused").isNotNull().contains("<policy-violation");
            assertThat(sockets.get(sockets.size() - 1).awaitClose(5000)).isTrue();
        } finally {
            for (RawXmppSocket socket : sockets) {
                socket.close();
            }
        }
        // Closed connections no longer count.
        try (RawXmppSocket again = new RawXmppSocket(server.c2sPort(), CAPPED_ADDRESS)) {
            assertThat(eventuallyAccepted(again)).isTrue();
        }
    }

    @Test
    void connectionsBeyondTheGatewayCapAreRefusedWithResourceConstraint() throws Exception {
        try (AviaryTestServer small = AviaryTestServer.start("aviary.gateway.max-connections=2");
             RawXmppSocket first = new RawXmppSocket(small.c2sPort());
             RawXmppSocket second = new RawXmppSocket(small.c2sPort())) {
            assertThat(first.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000)).contains("<stream:features");
            assertThat(second.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000)).contains("<stream:features");
            try (RawXmppSocket third = new RawXmppSocket(small.c2sPort())) {
                assertThat(third.readUntil("</stream:stream>", 5000)).contains("<resource-constraint");
                assertThat(third.awaitClose(5000)).isTrue();
            }
        }
    }

    @Test
    void silentAndHalfSentHttpRequestsAreClosed() throws Exception {
        int http = server.context().getBean(Gateway.class).httpPort();
        try (RawXmppSocket silent = new RawXmppSocket(http)) {
            assertThat(silent.awaitClose(10_000)).as("a connection that sends nothing").isTrue();
        }
        try (RawXmppSocket header = new RawXmppSocket(http)) {
            header.send("POST /http-bind HTTP/1.1\r\nHost: localhost\r\n");
            // One header byte at a time, each within the idle timeout of the one before.
            long until = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < until && header.trySend("X") && !header.awaitClose(500)) {
                // keep trickling
            }
            assertThat(header.awaitClose(0)).as("a request header sent a byte at a time").isTrue();
        }
        try (RawXmppSocket body = new RawXmppSocket(http)) {
            body.send("POST /http-bind HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<body rid='1'");
            assertThat(body.awaitClose(10_000)).as("a request body that stops half way").isTrue();
            assertThat(body.received()).as("answered before the close").startsWith("HTTP/1.1 408 ");
        }
        try (RawXmppSocket handshake = new RawXmppSocket(http)) {
            handshake.send("GET /xmpp-websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n"
                    + "Content-Length: 100\r\n\r\n0123456789");
            assertThat(handshake.awaitClose(10_000)).as("a WebSocket handshake whose body never ends").isTrue();
            assertThat(handshake.received()).startsWith("HTTP/1.1 408 ");
        }
    }

    /**
     * Three connections send a burst each, together far more than the bus may hold: the gateway stops reading them while
     * the bus is congested (their TCP windows hold the rest), and every message still arrives, in each sender's order.
     */
    @Test
    void aFloodPastTheBusBacklogIsReadAsTheBusDrainsAndNothingIsLost() throws Exception {
        InProcessBus bus = server.context().getBean(InProcessBus.class);
        long congestionsBefore = bus.congestions();
        int perSender = 900;
        try (RawXmppSocket alice = loggedIn("alice", "inbox", 1 << 20)) {
            List<RawXmppSocket> senders = new ArrayList<>();
            try {
                for (int s = 0; s < 3; s++) {
                    senders.add(loggedIn("mallory", "flood" + s, 64 * 1024));
                }
                for (int s = 0; s < senders.size(); s++) {
                    StringBuilder burst = new StringBuilder();
                    for (int i = 0; i < perSender; i++) {
                        burst.append("<message to='alice@localhost/inbox' type='chat' id='f").append(s).append('-').append(i)
                                .append("'><body>flood ").append(s).append(' ').append(i).append("</body></message>");
                    }
                    senders.get(s).send(burst.toString());
                }
                long deadline = System.currentTimeMillis() + 30_000;
                while (bodies(alice.received()).size() < 3 * perSender && System.currentTimeMillis() < deadline) {
                    alice.readUntil("\u0000never", 200);
                }
            } finally {
                for (RawXmppSocket sender : senders) {
                    sender.close();
                }
            }
            List<int[]> bodies = bodies(alice.received());
            assertThat(bodies).hasSize(3 * perSender);
            for (int s = 0; s < 3; s++) {
                int sender = s;
                assertThat(bodies.stream().filter(b -> b[0] == sender).map(b -> b[1]).toList())
                        .as("sender %d's order", s).isEqualTo(IntStream.range(0, perSender).boxed().toList());
            }
        }
        assertThat(bus.congestions()).as("the bus reached its bound of %d", MAX_BACKLOG).isGreaterThan(congestionsBefore);
        assertThat(bus.congested()).isFalse();
    }

    /** Sender and number of each {@code flood s i} body received, in the order received. */
    private static List<int[]> bodies(String received) {
        Matcher m = Pattern.compile("<body>flood (\\d+) (\\d+)</body>").matcher(received);
        List<int[]> found = new ArrayList<>();
        while (m.find()) {
            found.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return found;
    }

    /** A raw client with TLS, PLAIN and a bound resource, whose socket receives into {@code receiveBuffer} bytes. */
    private static RawXmppSocket loggedIn(String user, String resource, int receiveBuffer) throws Exception {
        RawXmppSocket raw = new RawXmppSocket(server.c2sPort(), receiveBuffer);
        raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
        raw.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").readUntil("<proceed", 5000);
        raw.upgradeToTls();
        raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
        String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        assertThat(raw.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>")
                .readUntil("<success", 5000)).contains("<success");
        raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
        assertThat(raw.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource
                + "</resource></bind></iq>").readUntil("</iq>", 5000)).contains("type=\"result\"");
        return raw;
    }

    private static boolean bound(String fullJid) {
        try {
            return server.context().getBean(SessionRegistry.class).session(JidCreate.entityFullFrom(fullJid)).isPresent();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean eventuallyAccepted(RawXmppSocket socket) throws Exception {
        return socket.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000).contains("<stream:features");
    }

    private static boolean eventually(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
