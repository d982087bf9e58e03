package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Input meant to exhaust memory or to smuggle characters past the parser: the sender's stream ends with the
 * stream error RFC 6120 names, and Bob and Carol, logged in the whole time, keep chatting.
 */
class HostileInputEndToEndTest {

    /** Small, so that a header over it still arrives in a single read. */
    private static final int BYTES_BEFORE_AUTH = 1024;

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.gateway.max-stanza-bytes-before-auth=" + BYTES_BEFORE_AUTH);
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

    /**
     * 65,000 empty elements fit in 256 KiB but cost the parser ~31 times that in heap. Before authentication a
     * stanza may hold far fewer elements, so 1,000 such connections from 10 addresses cost the server little.
     */
    @Test
    void manyUnauthenticatedStanzasOfEmptyElementsEndInPolicyViolation() throws Exception {
        String unfinished = "<message to='carol@localhost/c'>" + "<a/>".repeat(65_000);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> attackers = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String address = "127.0.0." + (2 + i % 10);
                attackers.add(pool.submit(() -> {
                    try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort(), address)) {
                        raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 10_000);
                        raw.trySend(unfinished);
                        // Closing with unread input may reset the connection before the error is read.
                        return raw.awaitClose(20_000) ? raw.received() : null;
                    }
                }));
            }
            int exchanged = 0;
            while (!attackers.stream().allMatch(Future::isDone)) {
                bystanders.tell("during the flood " + (++exchanged));
            }
            for (Future<String> attacker : attackers) {
                String received = attacker.get(30, TimeUnit.SECONDS);
                assertThat(received).as("the server closed the connection").isNotNull();
                if (received.contains("<stream:error>")) {
                    assertThat(received).contains("<policy-violation");
                }
            }
            assertThat(exchanged).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnfinishedStanzaOverTheElementLimitGetsPolicyViolationBeforeAuthentication() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<message>" + "<a/>".repeat(101));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<policy-violation");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void anUnfinishedStanzaOverTheSizeLimitGetsPolicyViolationBeforeAuthentication() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            raw.send("<message><body>" + "x".repeat(2 * BYTES_BEFORE_AUTH));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<policy-violation");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }

    @Test
    void afterAuthenticationTheLargerLimitsApply() throws Exception {
        bystanders.tell("a long story: " + "x".repeat(100 * 1024));
    }

    /** RFC 3629 §3: overlong forms, surrogates and code points above U+10FFFF must not be decoded. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"C0 80", "C0 AF", "E0 80 AF", "F4 90 80 80", "ED A0 80"})
    void invalidUtf8EndsTheSendersStreamAndNothingReachesTheRecipient(String sequence) throws Exception {
        XMPPTCPConnection alice = XmppClients.connect(
                XmppClients.startTls(server.c2sPort(), "alice", "alice-pw", null).setResource("a").build());
        try (RawXmppSocket mallory = RawXmppSocket.loggedIn(server.c2sPort(), "mallory", "mallory-pw", "m")) {
            BlockingQueue<Message> aliceInbox = XmppClients.inbox(alice);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes("<message to='alice@localhost/a' type='chat'><body>x".getBytes(StandardCharsets.UTF_8));
            message.writeBytes(HexFormat.of().parseHex(sequence.replace(" ", "")));
            message.writeBytes("y</body></message>".getBytes(StandardCharsets.UTF_8));
            mallory.sendBytes(message.toByteArray());
            // RFC 6120 §4.9.3.22: "improperly encoded the stream (e.g., by violating the rules of the [UTF-8] encoding)"
            assertThat(mallory.readUntil("</stream:stream>", 5000)).contains("<unsupported-encoding");
            assertThat(mallory.awaitClose(5000)).isTrue();

            bystanders.bob().sendStanza(bystanders.bob().getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.entityFullFrom("alice@localhost/a")).ofType(Message.Type.chat).setBody("hello alice").build());
            Message first = XmppClients.next(aliceInbox, Duration.ofSeconds(10));
            assertThat(first).as("Alice's stream is still up").isNotNull();
            assertThat(first.getBody()).isEqualTo("hello alice");
            assertThat(alice.isConnected()).isTrue();
        } finally {
            alice.disconnect();
        }
    }

    /** XML 1.0 §4.3.3 and Appendix F: a UTF-8 entity may begin with a byte order mark. */
    @Test
    void aByteOrderMarkBeforeTheStreamHeaderIsAccepted() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.sendBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            raw.send(RawXmppSocket.HEADER);
            assertThat(raw.readUntil("</stream:features>", 5000)).contains("<starttls").doesNotContain("<stream:error>");
        }
    }

    @Test
    void anOversizedStreamHeaderInOneWriteIsAPolicyViolation() throws Exception {
        try (RawXmppSocket raw = new RawXmppSocket(server.c2sPort())) {
            raw.trySend(RawXmppSocket.HEADER.replace("to='localhost'", "to='localhost' id='" + "i".repeat(BYTES_BEFORE_AUTH) + "'"));
            assertThat(raw.readUntil("</stream:stream>", 5000)).contains("<policy-violation").doesNotContain("<stream:features>");
            assertThat(raw.awaitClose(5000)).isTrue();
        }
    }
}
