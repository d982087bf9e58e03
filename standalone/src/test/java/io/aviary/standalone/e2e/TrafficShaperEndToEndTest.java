package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-connection traffic shaper, set to low rates here: a client that floods the server gets no more processed
 * than its rate allows (it is not read from meanwhile, and not disconnected), the stricter rate of unauthenticated
 * streams ends at SASL success, and Bob and Carol keep chatting through it all.
 */
class TrafficShaperEndToEndTest {

    private static final int UNAUTHENTICATED_STANZAS_PER_SECOND = 5;
    private static final int UNAUTHENTICATED_STANZAS_BURST = 20;
    private static final int AUTHENTICATED_BYTES_PER_SECOND = 2048;
    private static final int AUTHENTICATED_BYTES_BURST = 8192;
    /**
     * What a client can overdraw by: the shaper stops reading after the read that exhausted a bucket, and Netty reads
     * at most 64 KiB at a time; over TLS, up to a record (16 KiB) more may be read to complete one.
     */
    private static final int ONE_READ = 64 * 1024 + 16 * 1024;
    private static final int FLOOD_SECONDS = 8;
    private static final String NEVER = "\u0000never";

    private static AviaryTestServer server;
    private static BystanderPair bystanders;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start(
                "aviary.gateway.shaper.unauthenticated-bytes-per-second=0",
                "aviary.gateway.shaper.unauthenticated-stanzas-per-second=" + UNAUTHENTICATED_STANZAS_PER_SECOND,
                "aviary.gateway.shaper.unauthenticated-stanzas-burst=" + UNAUTHENTICATED_STANZAS_BURST,
                "aviary.gateway.shaper.authenticated-bytes-per-second=" + AUTHENTICATED_BYTES_PER_SECOND + "B",
                "aviary.gateway.shaper.authenticated-bytes-burst=" + AUTHENTICATED_BYTES_BURST + "B",
                "aviary.gateway.shaper.authenticated-stanzas-per-second=0");
        assertThat(server.accounts().register("mallory", "mallory-pw").ok()).isTrue();
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
    void anUnauthenticatedFloodIsAnsweredNoFasterThanTheUnauthenticatedStanzaRate() throws Exception {
        String abort = "<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
        try (RawXmppSocket mallory = new RawXmppSocket(server.c2sPort())) {
            mallory.send(RawXmppSocket.HEADER).readUntil("</stream:features>", 5000);
            Flood flood = floodAndWatch(mallory, abort);

            // RFC 6120 §6.4.4: each <abort/> is answered with <failure><aborted/></failure>.
            int answered = count(mallory.received(), Pattern.compile("<aborted/>"));
            double allowed = UNAUTHENTICATED_STANZAS_BURST + UNAUTHENTICATED_STANZAS_PER_SECOND * flood.seconds()
                    + (double) ONE_READ / abort.length();
            assertThat(answered).as("aborts answered in %.1f s", flood.seconds())
                    .isPositive().isLessThanOrEqualTo((int) (1.5 * allowed));
            assertShapedNotDisconnected(mallory, flood);
        }
    }

    @Test
    void anAuthenticatedFloodIsAnsweredNoFasterThanTheAuthenticatedByteRate() throws Exception {
        String ping = "<iq type='get' id='f'><ping xmlns='urn:xmpp:ping'/></iq>";
        try (RawXmppSocket mallory = RawXmppSocket.loggedIn(server.c2sPort(), "mallory", "mallory-pw", "flood")) {
            Flood flood = floodAndWatch(mallory, ping);

            int answered = count(mallory.received(), Pattern.compile("id=[\"']f[\"']"));
            double allowedBytes = AUTHENTICATED_BYTES_BURST + AUTHENTICATED_BYTES_PER_SECOND * flood.seconds() + ONE_READ;
            assertThat(answered).as("pings answered in %.1f s", flood.seconds())
                    .isPositive().isLessThanOrEqualTo((int) (1.5 * allowedBytes / ping.length()));
            assertShapedNotDisconnected(mallory, flood);
        }
    }

    /** Over WebSocket (RFC 7395) each message is one element; the shaper counts their frames' bytes and the elements. */
    @Test
    void anUnauthenticatedWebSocketFloodIsAnsweredNoFasterThanTheUnauthenticatedStanzaRate() throws Exception {
        String abort = "<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
        AtomicInteger answered = new AtomicInteger();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("xmpp")
                .buildAsync(URI.create("ws://127.0.0.1:" + BoshSmackEndToEndTest.httpPort(server) + "/xmpp-websocket"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                if (data.toString().contains("<aborted/>")) {
                                    answered.incrementAndGet();
                                }
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try {
                socket.sendText("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>", true).join();
                while (!stop.get()) {
                    // One message may be outstanding at a time; it waits while the server does not read.
                    socket.sendText(abort, true).join();
                }
            } catch (RuntimeException e) {
                // aborted at the end
            }
        }, "websocket-flood");
        writer.setDaemon(true);
        long start = System.nanoTime();
        writer.start();
        try {
            for (int second = 0; second < FLOOD_SECONDS; second++) {
                Thread.sleep(1000);
                bystanders.stillChat();
            }
        } finally {
            stop.set(true);
            socket.abort();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // A frame from the client has at least 6 bytes of header (RFC 6455 §5.2: with its masking key).
        double allowed = UNAUTHENTICATED_STANZAS_BURST + UNAUTHENTICATED_STANZAS_PER_SECOND * seconds
                + (double) ONE_READ / (abort.length() + 6);
        assertThat(answered.get()).as("aborts answered in %.1f s", seconds)
                .isPositive().isLessThanOrEqualTo((int) (1.5 * allowed));
    }

    /**
     * More stanzas than the unauthenticated burst, and then one more, are answered at once after SASL success: at the
     * unauthenticated rate (5 a second after a burst of 20) the last of these 105 elements would wait 17 seconds.
     */
    @Test
    void afterSaslSuccessTheUnauthenticatedRateNoLongerApplies() throws Exception {
        try (RawXmppSocket mallory = RawXmppSocket.loggedIn(server.c2sPort(), "mallory", "mallory-pw", "switch")) {
            mallory.send("<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>".repeat(100)
                    + "<iq type='get' id='last'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(mallory.readUntil("id=\"last\"", 10_000)).contains("id=\"last\"");
            assertThat(count(mallory.received(), Pattern.compile("id=\"p\""))).isEqualTo(100);

            mallory.send("<iq type='get' id='after'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(mallory.readUntil("id=\"after\"", 10_000)).contains("id=\"after\"");
        }
    }

    /** How long a flood lasted, and whether the server closed the connection meanwhile. */
    private record Flood(double seconds, boolean closedByServer) {
    }

    /**
     * Sends {@code stanza} as fast as the server takes it for {@value #FLOOD_SECONDS} seconds, while reading what comes
     * back (so that only the shaper, not a backlog of replies, holds the client back) and while Bob and Carol chat.
     */
    private static Flood floodAndWatch(RawXmppSocket client, String stanza) throws Exception {
        String batch = stanza.repeat(100);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get() && client.trySend(batch)) {
                // the socket blocks while the server does not read
            }
        }, "flood");
        writer.setDaemon(true);
        long start = System.nanoTime();
        writer.start();
        try {
            for (int second = 0; second < FLOOD_SECONDS; second++) {
                client.readUntil(NEVER, 1000);
                bystanders.stillChat();
            }
            return new Flood((System.nanoTime() - start) / 1e9, client.awaitClose(0));
        } finally {
            stop.set(true);
            client.abort();
        }
    }

    private static void assertShapedNotDisconnected(RawXmppSocket client, Flood flood) {
        assertThat(client.received()).doesNotContain("<stream:error");
        assertThat(flood.closedByServer()).as("the server closed the connection").isFalse();
    }

    private static int count(String text, Pattern pattern) {
        return (int) pattern.matcher(text).results().count();
    }
}
