package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.aviary.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secure default: with {@code tls-required} on and {@code plain-auth-allowed} off, BOSH on
 * plain HTTP refuses SASL with encryption-required (RFC 6120 §6.4.2 via XEP-0206), and HTTPS works.
 */
class BoshTlsEndToEndTest {

    private static final String NS = "xmlns='http://jabber.org/protocol/httpbind'";
    private static final Pattern SID = Pattern.compile("sid='([^']+)'");

    private static AviaryTestServer server;
    private static final HttpClient http = HttpClient.newBuilder().sslContext(XmppClients.trustAllContext()).build();

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        assertThat(server.accounts().register("romeo", "romeo-secret").ok()).isTrue();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String post(String base, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/http-bind"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Creates a session and sends PLAIN credentials; returns the answer to the auth request. */
    private static String authenticate(String base) throws Exception {
        String created = post(base, "<body rid='100' to='localhost' wait='5' hold='1' ver='1.6' "
                + "xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh' " + NS + "/>");
        Matcher sid = SID.matcher(created);
        assertThat(sid.find()).isTrue();
        String auth = "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString("\0romeo\0romeo-secret".getBytes(StandardCharsets.UTF_8)) + "</auth>";
        return post(base, "<body sid='" + sid.group(1) + "' rid='101' " + NS + ">" + auth + "</body>");
    }

    @Test
    void plainHttpRefusesAuthenticationByDefault() throws Exception {
        String answer = authenticate("http://127.0.0.1:" + server.context().getBean(Gateway.class).httpPort());
        assertThat(answer).contains("<failure").contains("encryption-required");
    }

    @Test
    void httpsAllowsAuthentication() throws Exception {
        // The self-signed certificate names localhost, which the JDK client checks even with a trust-all manager.
        String answer = authenticate("https://localhost:" + server.context().getBean(Gateway.class).httpsPort());
        assertThat(answer).contains("<success");
    }
}
