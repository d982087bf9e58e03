package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.testclients.XmppClients;
import io.aviary.gateway.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** XEP-0156 discovery of the BOSH and WebSocket endpoints, over HTTP and HTTPS, with CORS for browsers. */
class HostMetaEndToEndTest {

    private static AviaryTestServer server;
    private static int httpPort;
    private static int httpsPort;
    private static final HttpClient http = HttpClient.newBuilder().sslContext(XmppClients.trustAllContext()).build();

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start();
        httpPort = server.context().getBean(Gateway.class).httpPort();
        httpsPort = server.context().getBean(Gateway.class).httpsPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String url, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void xrdListsBothEndpoints() throws Exception {
        HttpResponse<String> response = get("http://127.0.0.1:" + httpPort + "/.well-known/host-meta", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/xrd+xml"));
        assertThat(response.body())
                .contains("<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>")
                .contains("<Link rel='urn:xmpp:alt-connections:xbosh' href='http://127.0.0.1:" + httpPort + "/http-bind'/>")
                .contains("<Link rel='urn:xmpp:alt-connections:websocket' href='ws://127.0.0.1:" + httpPort + "/xmpp-websocket'/>");
    }

    @Test
    void jsonOverHttpsListsSecureEndpoints() throws Exception {
        HttpResponse<String> response = get("https://localhost:" + httpsPort + "/.well-known/host-meta.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"links\":["
                + "{\"rel\":\"urn:xmpp:alt-connections:xbosh\",\"href\":\"https://localhost:" + httpsPort + "/http-bind\"},"
                + "{\"rel\":\"urn:xmpp:alt-connections:websocket\",\"href\":\"wss://localhost:" + httpsPort + "/xmpp-websocket\"}]}");
    }

    @Test
    void browsersFromAnyOriginMayUseTheEndpointsByDefault() throws Exception {
        HttpResponse<String> response = get("http://127.0.0.1:" + httpPort + "/.well-known/host-meta.json", "https://app.example");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/http-bind"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(v -> assertThat(v).contains("POST"));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("content-type"));
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        assertThat(get("http://127.0.0.1:" + httpPort + "/.well-known/other", null).statusCode()).isEqualTo(404);
    }
}
