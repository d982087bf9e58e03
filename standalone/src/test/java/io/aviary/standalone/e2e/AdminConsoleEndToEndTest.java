package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aviary.admin.AdminOperations;
import io.aviary.testclients.XmppClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web admin console of the standalone app: its login as an attacker would probe it over HTTP (wrong passwords,
 * users who are no administrators, a login posted from another site's page, API calls with the cookie but without the
 * CSRF token, a logged-out cookie), the security headers of its pages, and the console itself in headless Chromium
 * (playwright-core, as {@link BrowserClientEndToEndTest}): an administrator logs in, watches the dashboard, finds and
 * locks a user, creates one, sees the created user's session once it logs in with Smack and ends it (the Smack
 * connection closes), reads the audit log and logs out, with no Content-Security-Policy violation on the way.
 * Screenshots are kept in {@code target/browser-artifacts/console-*.png}.
 */
class AdminConsoleEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static AviaryTestServer server;
    private static int port;

    /** A console login: its cookie header and CSRF token. */
    private record Login(String cookie, String csrf) {
    }

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.admins[0]=admin@" + AviaryTestServer.DOMAIN);
        server.accounts().register("admin", "admin-pw");
        server.accounts().register("mallory", "mallory-pw");
        for (int i = 1; i <= 3; i++) {
            server.accounts().register("tenant" + i, "tenant-pw");
        }
        port = Integer.parseInt(server.context().getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePagesAreServedWithAPolicyThatAllowsNoInlineScriptAndNoFraming() throws Exception {
        HttpResponse<String> redirect = send(request("/admin/").GET());
        assertThat(redirect.statusCode()).isEqualTo(303);
        assertThat(redirect.headers().firstValue("Location")).hasValue("/admin/console/");

        HttpResponse<String> page = send(request("/admin/console/").GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "frame-ancestors 'none'", "default-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        // No inline script or style: every script and style comes from the console's own files.
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son\\w+=")
                .doesNotContain("style=");

        assertThat(send(request("/admin/console/console.js").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/admin/console/console.css").GET()).statusCode()).isEqualTo(200);
        assertThat(send(request("/admin/console/application.yml").GET()).statusCode()).isEqualTo(404);
        assertThat(send(request("/admin/console/..%2Fapi%2Fopenapi.json").GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyAnAdministratorWithItsPasswordLogsIn() throws Exception {
        assertThat(postLogin("admin@localhost", "wrong", null).statusCode()).isEqualTo(401);
        assertThat(postLogin("mallory", "mallory-pw", null).statusCode()).as("not an administrator").isEqualTo(401);
        assertThat(postLogin("nobody", "x", null).statusCode()).isEqualTo(401);
        assertThat(send(request("/admin/console/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))).statusCode()).isEqualTo(400);
        assertThat(send(request("/admin/console/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode()).isEqualTo(400);
        // Login CSRF: a form on another site's page posting the administrator's credentials is refused.
        assertThat(postLogin("admin", "admin-pw", "https://evil.example").statusCode()).isEqualTo(403);

        HttpResponse<String> login = postLogin("admin", "admin-pw", "http://localhost:" + port);
        assertThat(login.statusCode()).isEqualTo(200);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("aviary_console=").containsIgnoringCase("HttpOnly")
                .contains("Secure", "SameSite=Strict", "Path=/admin");
        assertThat(JSON.readTree(login.body()).get("admin").asString()).isEqualTo("admin@localhost");
        // The refused attempts and the login are in the audit log.
        assertThat(server.context().getBean(AdminOperations.class).audit().latest(20).toString())
                .contains("console-login", "refused", "admin@localhost");
    }

    @Test
    void theCookieAloneIsNotEnoughForTheApi() throws Exception {
        Login login = login();
        assertThat(send(request("/admin/api/users").header("Cookie", login.cookie()).GET()).statusCode())
                .as("the cookie without the CSRF token, as another site could make a browser send it").isEqualTo(403);
        assertThat(send(request("/admin/api/users/tenant1/lock").header("Cookie", login.cookie())
                .header("X-CSRF-Token", "guessed").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(server.accounts().locked("tenant1")).isFalse();

        HttpResponse<String> users = send(api(login, "/admin/api/users?search=tenant").GET());
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(users.body()).get("total").asInt()).isEqualTo(3);
        HttpResponse<String> metrics = send(api(login, "/admin/api/metrics").GET());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(metrics.body()).get("heapUsedBytes").asDouble()).isPositive();

        // The page asks who is logged in after a reload; a forged logout (no token) does not end the login.
        HttpResponse<String> current = send(request("/admin/console/session").header("Cookie", login.cookie()).GET());
        assertThat(JSON.readTree(current.body()).get("csrf").asString()).isEqualTo(login.csrf());
        assertThat(send(request("/admin/console/session").header("Cookie", login.cookie()).DELETE()).statusCode())
                .isEqualTo(403);
        assertThat(send(api(login, "/admin/console/session").DELETE()).statusCode()).isEqualTo(204);
        HttpResponse<String> after = send(api(login, "/admin/api/users").GET());
        assertThat(after.statusCode()).as("logged out").isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).as("no browser login dialog").isEmpty();
        assertThat(send(request("/admin/console/session").header("Cookie", login.cookie()).GET()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void anAdministratorUsesTheConsoleInABrowser() throws Exception {
        String missing = BrowserClientEndToEndTest.missingPrerequisite();
        assumeTrue(missing == null, missing);
        Path artifacts = Path.of("target", "browser-artifacts").toAbsolutePath();
        Files.createDirectories(artifacts);
        List<String> command = new ArrayList<>(List.of("node", "admin-console.mjs",
                "chromium=" + BrowserClientEndToEndTest.CHROMIUM, "url=http://localhost:" + port + "/admin/",
                "username=admin@localhost", "password=admin-pw", "lock=tenant2", "create=tenant9",
                "contact=nurse@localhost", "room=lobby@conference.localhost",
                "screenshots=" + artifacts.resolve("console")));
        // A room with an occupant in it, which the administrator destroys in the page.
        XMPPTCPConnection occupant = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "tenant1", "tenant-pw",
                null).build());
        MultiUserChat lobby = MultiUserChatManager.getInstanceFor(occupant)
                .getMultiUserChat(JidCreate.entityBareFrom("lobby@conference.localhost"));
        lobby.create(Resourcepart.from("tenant1")).makeInstant();
        CompletableFuture<String> destroyed = AdminApiEndToEndTest.whenDestroyed(lobby);
        Process node = new ProcessBuilder(command).directory(BrowserClientEndToEndTest.BROWSER_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(artifacts.resolve("console.log").toFile()).start();
        XMPPTCPConnection created = null;
        try {
            // The user the administrator creates in the page logs in, and the administrator ends its session there.
            await().atMost(Duration.ofSeconds(60)).until(() -> server.accounts().exists("tenant9") || !node.isAlive());
            if (node.isAlive()) {
                created = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "tenant9", "created-in-the-console",
                        null).setResource("phone").build());
            }
            boolean exited = node.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                node.destroyForcibly();
            }
            String output = Files.readString(artifacts.resolve("console.log"), StandardCharsets.UTF_8);
            assertThat(exited).as("browser script finished").isTrue();
            assertThat(node.exitValue()).as(output).isZero();
            XMPPTCPConnection kicked = created;
            assertThat(kicked).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> !kicked.isConnected());
            assertThat(destroyed.get(10, TimeUnit.SECONDS)).as("the occupant was told").isNotEmpty();
        } finally {
            occupant.disconnect();
            if (created != null) {
                created.disconnect();
            }
        }

        // What the administrator did in the page happened on the server.
        assertThat(server.accounts().locked("tenant2")).isTrue();
        assertThat(server.accounts().exists("tenant9")).isTrue();
        assertThat(server.context().getBean(AdminOperations.class).audit().latest(50).toString())
                .contains("lock", "tenant2", "end-sessions", "tenant9", "console-logout", "roster-set", "tenant9 nurse@localhost",
                        "destroy-room");
        for (String page : List.of("login", "dashboard", "users", "rooms", "sessions", "audit", "server")) {
            assertThat(artifacts.resolve("console-" + page + ".png")).exists();
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpRequest.Builder api(Login login, String path) {
        return request(path).header("Cookie", login.cookie()).header("X-CSRF-Token", login.csrf());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postLogin(String username, String password, String origin) throws Exception {
        HttpRequest.Builder request = request("/admin/console/session").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        java.util.Map.of("username", username, "password", password))));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return send(request);
    }

    private static Login login() throws Exception {
        HttpResponse<String> response = postLogin("admin", "admin-pw", null);
        assertThat(response.statusCode()).isEqualTo(200);
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return new Login(cookie, JSON.readTree(response.body()).get("csrf").asString());
    }
}
