package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XMPP over WebSocket (RFC 7395) spoken raw: framing, restarts and the errors for messages that
 * are not framed XMPP. A TCP user stays connected throughout and must be unaffected.
 */
class WebSocketProtocolEndToEndTest {

    private static final String OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>";
    private static final String CLOSED = "(closed)";

    /** The HTTP requests' deadline, short here: a WebSocket stream outlives it. */
    private static final Duration HTTP_READ_TIMEOUT = Duration.ofSeconds(2);
    private static AviaryTestServer server;
    private static XMPPTCPConnection bystander;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.gateway.http.plain-auth-allowed=true",
                "aviary.gateway.max-stanza-bytes=4096", "aviary.gateway.http.allowed-origins=https://good.example",
                "aviary.gateway.http.read-timeout=" + HTTP_READ_TIMEOUT.toMillis() + "ms");
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
        assertThat(server.accounts().register("nurse", "nurse-secret").ok()).isTrue();
        bystander = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "nurse", "nurse-secret", null).build());
    }

    @AfterAll
    static void stop() {
        bystander.disconnect();
        server.close();
    }

    @AfterEach
    void bystanderUnaffected() throws Exception {
        XmppClients.assertStillChats(bystander);
    }

    private static URI endpoint() {
        return URI.create("ws://127.0.0.1:" + BoshSmackEndToEndTest.httpPort(server) + "/xmpp-websocket");
    }

    /** A raw WebSocket client that queues every text message it receives, and CLOSED when the server closes. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Client connect(WebSocket.Builder builder) {
            Client client = new Client();
            client.socket = builder.buildAsync(endpoint(), client).join();
            return client;
        }

        static Client connect() {
            return connect(http.newWebSocketBuilder().subprotocols("xmpp"));
        }

        /** Connected, its stream opened and authenticated as Romeo, not restarted yet. */
        static Client authenticated() throws InterruptedException {
            Client client = connect();
            client.send(OPEN);
            client.until("<stream:features");
            client.send(plainAuth());
            client.until("<success");
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            messages.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            messages.add(CLOSED);
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message from the server").isNotNull();
            return message;
        }

        /** Reads until a message containing {@code text}, returning it. */
        String until(String text) throws InterruptedException {
            while (true) {
                String message = next();
                if (message.contains(text)) {
                    return message;
                }
                assertThat(message).as("waiting for " + text).isNotEqualTo(CLOSED);
            }
        }
    }

    private static String plainAuth() {
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString("\0romeo\0romeo-secret".getBytes(StandardCharsets.UTF_8)) + "</auth>";
    }

    @Test
    void openAuthenticateRestartBindAndClose() throws Exception {
        Client client = Client.connect();
        assertThat(client.socket.getSubprotocol()).isEqualTo("xmpp");
        client.send(OPEN);
        assertThat(client.next()).startsWith("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'").contains("from='localhost'");
        assertThat(client.next()).startsWith("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>");
        client.send(plainAuth());
        assertThat(client.next()).contains("<success");
        // RFC 7395 §3.5: a new <open/> restarts the stream.
        client.send(OPEN);
        assertThat(client.next()).startsWith("<open ");
        assertThat(client.next()).contains("urn:ietf:params:xml:ns:xmpp-bind");
        client.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>raw</resource></bind></iq>");
        assertThat(client.next()).contains("<jid>romeo@localhost/raw</jid>");
        // RFC 7395 §3.6: <close/> is answered with <close/> and the connection ends.
        client.send("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertThat(client.next()).isEqualTo("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertThat(client.next()).isEqualTo(CLOSED);
    }

    @Test
    void aStreamOutlivesTheHttpRequestTimeoutsBothTalkingAndSilent() throws Exception {
        Client client = Client.authenticated();
        client.send(OPEN);
        client.until("<stream:features");
        client.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>long</resource></bind></iq>");
        assertThat(client.next()).contains("<jid>romeo@localhost/long</jid>");
        // Talking past the request deadline, then silent past the read timeout, then talking again.
        long talkUntil = System.nanoTime() + HTTP_READ_TIMEOUT.multipliedBy(2).toNanos();
        for (int i = 0; System.nanoTime() < talkUntil; i++) {
            client.send("<iq xmlns='jabber:client' type='get' id='p" + i + "'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(client.until("id=\"p" + i + "\"")).contains("type=\"result\"");
            Thread.sleep(250);
        }
        Thread.sleep(HTTP_READ_TIMEOUT.plusMillis(500).toMillis());
        client.send("<iq xmlns='jabber:client' type='get' id='last'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(client.until("id=\"last\"")).contains("type=\"result\"");
        client.send("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertThat(client.until("<close")).isEqualTo("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
    }

    @Test
    void aHandshakeWithoutTheXmppSubprotocolIsRefused() {
        assertThatThrownBy(() -> Client.connect(http.newWebSocketBuilder()))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThatThrownBy(() -> Client.connect(http.newWebSocketBuilder().subprotocols("mqtt")))
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void aForeignOriginIsRefused() throws Exception {
        assertThatThrownBy(() -> Client.connect(http.newWebSocketBuilder().subprotocols("xmpp")
                .header("Origin", "https://evil.example")))
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        Client allowed = Client.connect(http.newWebSocketBuilder().subprotocols("xmpp")
                .header("Origin", "https://good.example"));
        allowed.send(OPEN);
        assertThat(allowed.next()).startsWith("<open ");
        allowed.socket.abort();
    }

    @Test
    void aMalformedMessageIsNotWellFormed() throws Exception {
        Client client = Client.connect();
        client.send(OPEN);
        client.until("<stream:features");
        client.send("<message xmlns='jabber:client'><body>unclosed</message>");
        assertThat(client.until("<stream:error")).contains("not-well-formed");
        assertThat(client.next()).isEqualTo("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        assertThat(client.next()).isEqualTo(CLOSED);
    }

    @Test
    void twoElementsInOneMessageAreRefused() throws Exception {
        Client client = Client.connect();
        client.send(OPEN);
        client.until("<stream:features");
        client.send("<presence xmlns='jabber:client'/><presence xmlns='jabber:client'/>");
        assertThat(client.until("<stream:error")).contains("not-well-formed");
    }

    @Test
    void aStanzaBeforeOpenIsABadFormat() throws Exception {
        Client client = Client.connect();
        client.send("<message xmlns='jabber:client' to='nurse@localhost'><body>hi</body></message>");
        assertThat(client.until("<stream:error")).contains("bad-format");
        assertThat(client.until(CLOSED)).isEqualTo(CLOSED);
    }

    @Test
    void restrictedXmlIsRefused() throws Exception {
        Client client = Client.connect();
        client.send(OPEN);
        client.until("<stream:features");
        client.send("<!-- hello --><presence xmlns='jabber:client'/>");
        assertThat(client.until("<stream:error")).contains("restricted-xml");
    }

    @Test
    void anOversizedStanzaIsAPolicyViolation() throws Exception {
        Client client = Client.connect();
        client.send(OPEN);
        client.until("<stream:features");
        client.send("<message xmlns='jabber:client' to='nurse@localhost'><body>" + "x".repeat(4500) + "</body></message>");
        assertThat(client.until("<stream:error")).contains("policy-violation");
        assertThat(client.until(CLOSED)).isEqualTo(CLOSED);
    }

    @Test
    void authenticationOnlyAfterTheStreamRestart() throws Exception {
        Client client = Client.authenticated();
        // Without the new <open/> the stream is not restarted: a stanza here is refused.
        client.send("<presence xmlns='jabber:client'/>");
        assertThat(client.until("<stream:error")).contains("bad-format");
    }

    @Test
    void aPlainGetIsNotAWebSocketHandshake() throws Exception {
        HttpResponse<String> upgrade = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + BoshSmackEndToEndTest.httpPort(server) + "/xmpp-websocket")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upgrade.statusCode()).isEqualTo(400);
    }
}
