package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BOSH (XEP-0124, XEP-0206) spoken raw over HTTP: the session lifecycle and the errors the
 * specification names for bad sids, rids, bodies and session rules. A TCP user stays connected
 * throughout and must be unaffected.
 */
class BoshProtocolEndToEndTest {

    private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
    private static final Pattern SID = Pattern.compile("sid='([^']+)'");

    private static AviaryTestServer server;
    private static XMPPTCPConnection bystander;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.gateway.http.plain-auth-allowed=true",
                "aviary.gateway.http.max-body-bytes=4096", "aviary.gateway.http.bosh-inactivity=2s",
                "aviary.gateway.http.bosh-max-pause=10s");
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
        assertThat(server.accounts().register("nurse", "nurse-secret").ok()).isTrue();
        bystander = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "nurse", "nurse-secret", null).build());
    }

    @AfterAll
    static void stop() {
        bystander.disconnect();
        server.close();
    }

    /** Whatever a test did, the TCP user still chats with itself. */
    @AfterEach
    void bystanderUnaffected() throws Exception {
        XmppClients.assertStillChats(bystander);
    }

    static HttpResponse<String> post(String body) throws Exception {
        return postAsync(body).get();
    }

    static CompletableFuture<HttpResponse<String>> postAsync(String body) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + BoshSmackEndToEndTest.httpPort(server) + "/http-bind"))
                .header("Content-Type", "text/xml; charset=utf-8")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a session with the given first rid and extra attributes; returns its sid. */
    static String create(long rid, String attributes) throws Exception {
        HttpResponse<String> response = post("<body rid='" + rid + "' to='localhost' wait='5' ver='1.6' "
                + "xml:lang='en' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh' " + attributes + " " + NS + "/>");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<stream:features>").contains("SCRAM-SHA-256");
        Matcher sid = SID.matcher(response.body());
        assertThat(sid.find()).as(response.body()).isTrue();
        return sid.group(1);
    }

    static String body(String sid, long rid, String attributes, String payload) {
        return "<body sid='" + sid + "' rid='" + rid + "' " + attributes + " " + NS
                + " xmlns:xmpp='urn:xmpp:xbosh'>" + payload + "</body>";
    }

    private static String plainAuth(String user, String password) {
        String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>";
    }

    @Test
    void fullSessionWithRestartBindAndTerminate() throws Exception {
        String sid = create(1000, "hold='1'");
        HttpResponse<String> auth = post(body(sid, 1001, "", plainAuth("romeo", "romeo-secret")));
        assertThat(auth.body()).contains("<success");
        // XEP-0206 §5: the restart request gets the new stream's features.
        HttpResponse<String> restart = post(body(sid, 1002, "xmpp:restart='true' to='localhost'", ""));
        assertThat(restart.body()).contains("urn:ietf:params:xml:ns:xmpp-bind");
        HttpResponse<String> bind = post(body(sid, 1003, "", "<iq xmlns='jabber:client' type='set' id='b1'>"
                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>raw</resource></bind></iq>"));
        assertThat(bind.body()).contains("<jid>romeo@localhost/raw</jid>");
        HttpResponse<String> end = post(body(sid, 1004, "type='terminate'",
                "<presence xmlns='jabber:client' type='unavailable'/>"));
        assertThat(end.statusCode()).isEqualTo(200);
        assertThat(end.body()).contains("type='terminate'");
        // The session is gone.
        HttpResponse<String> after = post(body(sid, 1005, "", ""));
        assertThat(after.body()).contains("condition='item-not-found'");
    }

    @Test
    void repeatedRidGetsTheSameResponseAgain() throws Exception {
        String sid = create(2000, "hold='1'");
        String request = body(sid, 2001, "", plainAuth("romeo", "romeo-secret"));
        HttpResponse<String> first = post(request);
        assertThat(first.body()).contains("<success");
        // XEP-0124 §14.3: the client resends after a lost response and gets the buffered one.
        HttpResponse<String> again = post(request);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        post(body(sid, 2002, "type='terminate'", ""));
    }

    @Test
    void ridsOutOfOrderAreProcessedInOrder() throws Exception {
        String sid = create(3000, "hold='1'");
        // 3002 arrives before 3001 (two HTTP connections racing): it waits for 3001 (XEP-0124 §14.2).
        CompletableFuture<HttpResponse<String>> later = postAsync(body(sid, 3002, "", ""));
        Thread.sleep(300);
        assertThat(later).isNotDone();
        HttpResponse<String> auth = post(body(sid, 3001, "", plainAuth("romeo", "romeo-secret")));
        // SASL runs on a worker, so <success/> comes in whichever of the two requests is held when it is ready.
        HttpResponse<String> next = later.get(10, TimeUnit.SECONDS);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(auth.body() + next.body()).contains("<success");
        post(body(sid, 3003, "type='terminate'", ""));
    }

    @Test
    void ridBeyondTheWindowIsItemNotFound() throws Exception {
        String sid = create(4000, "hold='1'");
        HttpResponse<String> response = post(body(sid, 4010, "", ""));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("type='terminate'").contains("condition='item-not-found'");
        assertThat(post(body(sid, 4001, "", "")).body()).contains("condition='item-not-found'");
    }

    @Test
    void unknownSidIsItemNotFound() throws Exception {
        HttpResponse<String> response = post(body("no-such-session", 1, "", ""));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("condition='item-not-found'");
    }

    @Test
    void malformedBodiesAreBadRequests() throws Exception {
        for (String bad : new String[] {"<body rid='1' " + NS + ">", "not xml at all", "<iq " + NS + "/>",
                "<!DOCTYPE body [<!ENTITY x 'y'>]><body " + NS + "/>"}) {
            HttpResponse<String> response = post(bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).contains("condition='bad-request'");
        }
        // Session creation without a rid: bad-request, as a terminal condition for a client that sent 'ver'.
        HttpResponse<String> noRid = post("<body to='localhost' wait='5' hold='1' ver='1.6' " + NS + "/>");
        assertThat(noRid.statusCode()).isEqualTo(200);
        assertThat(noRid.body()).contains("condition='bad-request'");
        // ... and as HTTP 400 for a legacy client (XEP-0124 §17.1).
        assertThat(post("<body to='localhost' wait='5' hold='1' " + NS + "/>").statusCode()).isEqualTo(400);
    }

    @Test
    void aMalformedRidEndsTheSessionWithBadRequest() throws Exception {
        String sid = create(5000, "hold='1'");
        HttpResponse<String> response = post("<body sid='" + sid + "' rid='x1' " + NS + "/>");
        assertThat(response.body()).contains("condition='bad-request'");
    }

    @Test
    void anOversizedBodyIsRefusedWith413() throws Exception {
        String sid = create(6000, "hold='1'");
        HttpResponse<String> response = post(body(sid, 6001, "",
                "<message xmlns='jabber:client' to='nurse@localhost'><body>" + "x".repeat(5000) + "</body></message>"));
        assertThat(response.statusCode()).isEqualTo(413);
        // The session itself is untouched.
        assertThat(post(body(sid, 6001, "", plainAuth("romeo", "romeo-secret"))).body()).contains("<success");
        post(body(sid, 6002, "type='terminate'", ""));
    }

    @Test
    void pollingTooFrequentlyIsAPolicyViolation() throws Exception {
        String sid = create(7000, "hold='0'");
        assertThat(post(body(sid, 7001, "", "")).body()).doesNotContain("terminate");
        HttpResponse<String> second = post(body(sid, 7002, "", ""));
        assertThat(second.body()).contains("condition='policy-violation'");
    }

    @Test
    void aPauseBeyondMaxpauseIsAPolicyViolationAndAValidOneAnswersAtOnce() throws Exception {
        String sid = create(8000, "hold='1'");
        HttpResponse<String> pause = post(body(sid, 8001, "pause='5'", ""));
        assertThat(pause.statusCode()).isEqualTo(200);
        assertThat(pause.body()).doesNotContain("terminate");
        HttpResponse<String> tooLong = post(body(sid, 8002, "pause='3600'", ""));
        assertThat(tooLong.body()).contains("condition='policy-violation'");
    }

    @Test
    void anInactiveSessionEnds() throws Exception {
        String sid = create(9000, "hold='1'");
        Thread.sleep(4000);
        assertThat(post(body(sid, 9001, "", "")).body()).contains("condition='item-not-found'");
    }

    @Test
    void aStreamErrorTerminatesWithRemoteStreamError() throws Exception {
        String sid = create(9500, "hold='1'");
        // A stanza before authentication is not-authorized (RFC 6120 §4.9.3.12).
        HttpResponse<String> response = post(body(sid, 9501, "",
                "<message xmlns='jabber:client' to='nurse@localhost'><body>hi</body></message>"));
        assertThat(response.body()).contains("condition='remote-stream-error'").contains("<stream:error>")
                .contains("not-authorized");
    }
}
