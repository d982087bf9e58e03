package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.admin.api.AdminApi;
import io.aviary.testclients.XmppClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterGroup;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin REST API of the standalone app, spoken to over HTTP with the JDK's client: every endpoint refuses callers
 * without credentials (401), non-administrators (403) and tokens without the endpoint's scope (403); administrators
 * manage users, sessions and messages with the effects an XMPP client sees (Smack); bad input is 400, unknown users 404;
 * the served OpenAPI description names exactly the routes the server has; changes are audited.
 */
class AdminApiEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = basic("admin@localhost", "admin-pw");
    private static final String DIALBACK_SECRET = "do-not-show-this-dialback-secret";
    private static AviaryTestServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.admins[0]=admin@" + AviaryTestServer.DOMAIN,
                "aviary.s2s.dialback-secret=" + DIALBACK_SECRET);
        server.accounts().register("admin", "admin-pw");
        server.accounts().register("mallory", "mallory-pw");
        base = "http://127.0.0.1:" + server.context().getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theOpenApiDescriptionNamesExactlyTheServedRoutes() throws Exception {
        HttpResponse<String> response = call("GET", "/admin/api/openapi.json", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode description = JSON.readTree(response.body());
        assertThat(description.get("openapi").asString()).startsWith("3.");
        Set<String> described = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : description.get("paths").properties()) {
            for (Iterator<String> methods = path.getValue().propertyNames().iterator(); methods.hasNext(); ) {
                described.add(methods.next().toUpperCase() + " " + path.getKey());
            }
        }
        Set<String> served = new HashSet<>();
        server.context().getBean(AdminApi.class).endpoints()
                .forEach(e -> served.add(e.method().name() + " " + e.path()));
        assertThat(described).isEqualTo(served);
    }

    @Test
    void everyEndpointWantsCredentialsAndAnAdministrator() throws Exception {
        String mallory = basic("mallory@localhost", "mallory-pw");
        for (AdminApi.Endpoint endpoint : server.context().getBean(AdminApi.class).endpoints()) {
            String path = endpoint.path().replace("{username}", "mallory").replace("{gateway}", "gw")
                    .replace("{id}", "x").replace("{contact}", "romeo@localhost").replace("{room}", "hall")
                    .replace("{node}", "news").replace("{domain}", "spam.example");
            String what = endpoint.method() + " " + path;
            String body = endpoint.method().name().startsWith("P") ? "{}" : null;
            HttpResponse<String> anonymous = call(endpoint.method().name(), path, null, body);
            assertThat(anonymous.statusCode()).as(what + " without credentials").isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(
                    challenge -> assertThat(challenge).contains("Basic", "Bearer"));
            assertThat(call(endpoint.method().name(), path, basic("admin@localhost", "wrong"), body).statusCode())
                    .as(what + " with a wrong password").isEqualTo(401);
            assertThat(call(endpoint.method().name(), path, "Bearer aviary_nope_nope", body).statusCode())
                    .as(what + " with an unknown token").isEqualTo(401);
            assertThat(call(endpoint.method().name(), path, mallory, body).statusCode())
                    .as(what + " by a user who is no administrator").isEqualTo(403);
        }
    }

    @Test
    void tokensMayDoWhatTheirScopesSayAndNothingElse() throws Exception {
        HttpResponse<String> created = call("POST", "/admin/api/tokens", ADMIN,
                "{\"name\":\"dashboard\",\"scopes\":[\"users:read\",\"stats:read\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String token = "Bearer " + JSON.readTree(created.body()).get("secret").asString();

        assertThat(call("GET", "/admin/api/users", token, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/admin/api/statistics", token, null).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/admin/api/users", token, "{\"username\":\"x\",\"password\":\"y\"}").statusCode())
                .as("users:write is not among its scopes").isEqualTo(403);
        assertThat(call("DELETE", "/admin/api/users/mallory/sessions", token, null).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/admin/api/tokens", token, "{\"name\":\"more\",\"scopes\":[\"users:write\"]}")
                .statusCode()).as("a token cannot make tokens").isEqualTo(403);
        // The secret is not stored: the listing has no trace of it.
        assertThat(call("GET", "/admin/api/tokens", ADMIN, null).body()).contains("dashboard")
                .doesNotContain(token.substring(7));

        assertThat(call("POST", "/admin/api/tokens", ADMIN, "{\"name\":\"bad\",\"scopes\":[\"root\"]}").statusCode())
                .isEqualTo(400);
        String id = JSON.readTree(created.body()).get("token").get("id").asString();
        assertThat(call("DELETE", "/admin/api/tokens/" + id, ADMIN, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/admin/api/users", token, null).statusCode()).as("revoked").isEqualTo(401);
    }

    @Test
    void anAdministratorManagesAUserAndItsSessions() throws Exception {
        assertThat(call("POST", "/admin/api/users", ADMIN, "{\"username\":\"rosa\",\"password\":\"rosa-pw\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call("POST", "/admin/api/users", ADMIN, "{\"username\":\"rosa\",\"password\":\"other\"}")
                .statusCode()).isEqualTo(409);
        JsonNode page = JSON.readTree(call("GET", "/admin/api/users?search=ros&limit=10", ADMIN, null).body());
        assertThat(page.get("usernames").toString()).contains("rosa");

        XMPPTCPConnection rosa = login("rosa", "rosa-pw");
        JsonNode sessions = JSON.readTree(call("GET", "/admin/api/users/rosa/sessions", ADMIN, null).body());
        assertThat(sessions).hasSize(1);
        String gateway = sessions.get(0).get("gateway").asString();
        assertThat(call("GET", "/admin/api/gateways", ADMIN, null).body()).contains(gateway);
        assertThat(call("GET", "/admin/api/gateways/" + gateway + "/sessions", ADMIN, null).body())
                .contains("rosa@localhost/");
        assertThat(JSON.readTree(call("GET", "/admin/api/statistics", ADMIN, null).body()).get("onlineSessions").asInt())
                .isGreaterThanOrEqualTo(1);

        // A broadcast reaches her as a headline from the domain.
        BlockingQueue<Message> headlines = new LinkedBlockingQueue<>();
        rosa.addAsyncStanzaListener(s -> headlines.add((Message) s),
                s -> s instanceof Message m && m.getType() == Message.Type.headline);
        awaitAvailable("rosa");
        assertThat(call("POST", "/admin/api/broadcast", ADMIN, "{\"message\":\"Restart at six.\"}").statusCode())
                .isEqualTo(200);
        Message broadcast = headlines.poll(10, TimeUnit.SECONDS);
        assertThat(broadcast).isNotNull();
        assertThat(broadcast.getBody()).isEqualTo("Restart at six.");
        assertThat(call("PUT", "/admin/api/motd", ADMIN, "{\"message\":\"Hello.\"}").statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/admin/api/motd", ADMIN, null).statusCode()).isEqualTo(204);

        // Kick: her session ends, her account stays.
        assertThat(JSON.readTree(call("DELETE", "/admin/api/users/rosa/sessions", ADMIN, null).body()).get("ended")
                .asInt()).isEqualTo(1);
        awaitDisconnected(rosa);

        // Password, lock and unlock.
        assertThat(call("PUT", "/admin/api/users/rosa/password", ADMIN, "{\"password\":\"new-pw\"}").statusCode())
                .isEqualTo(200);
        assertThat(call("POST", "/admin/api/users/rosa/lock", ADMIN, null).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(call("GET", "/admin/api/users/rosa", ADMIN, null).body()).get("locked").asBoolean())
                .isTrue();
        assertThatThrownBy(() -> login("rosa", "new-pw")).isInstanceOf(SASLErrorException.class);
        assertThat(call("POST", "/admin/api/users/rosa/unlock", ADMIN, null).statusCode()).isEqualTo(200);
        rosa = login("rosa", "new-pw");

        // Delete: her session ends and she cannot come back.
        assertThat(call("DELETE", "/admin/api/users/rosa", ADMIN, null).statusCode()).isEqualTo(200);
        awaitDisconnected(rosa);
        assertThatThrownBy(() -> login("rosa", "new-pw")).isInstanceOf(SASLErrorException.class);
        assertThat(server.accounts().exists("rosa")).isFalse();

        String audit = call("GET", "/admin/api/audit?limit=100", ADMIN, null).body();
        assertThat(audit).contains("create-user", "change-password", "lock-user", "unlock-user", "end-sessions",
                "delete-user", "announce", "set-motd", "delete-motd", "admin@localhost");
    }

    @Test
    void unknownUsersAre404AndBadInput400() throws Exception {
        for (String[] call : new String[][] {{"GET", "/admin/api/users/ghost"}, {"DELETE", "/admin/api/users/ghost"},
                {"POST", "/admin/api/users/ghost/lock"}, {"POST", "/admin/api/users/ghost/unlock"},
                {"GET", "/admin/api/users/ghost/sessions"}, {"DELETE", "/admin/api/users/ghost/sessions"},
                {"GET", "/admin/api/gateways/nowhere/sessions"}}) {
            assertThat(call(call[0], call[1], ADMIN, null).statusCode()).as(call[0] + " " + call[1]).isEqualTo(404);
        }
        assertThat(call("PUT", "/admin/api/users/ghost/password", ADMIN, "{\"password\":\"pw\"}").statusCode())
                .isEqualTo(404);
        assertThat(call("POST", "/admin/api/users", ADMIN, "{\"username\":\"no password\"}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/admin/api/users", ADMIN, "{\"username\":\"a b@c\",\"password\":\"pw\"}").statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/admin/api/users", ADMIN, "not json").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/admin/api/users", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/admin/api/users?limit=0", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/admin/api/users?offset=x", ADMIN, null).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/admin/api/broadcast", ADMIN, "{\"message\":\" \"}").statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/admin/api/users/mallory/password", ADMIN, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aSpamReportShowsUpInTheQueueAndLockingTheSenderEndsItsSessions() throws Exception {
        server.accounts().register("spammer", "spammer-pw");
        server.accounts().register("victim", "victim-pw");
        XMPPTCPConnection spammer = login("spammer", "spammer-pw");
        XMPPTCPConnection victim = login("victim", "victim-pw");
        try {
            victim.sendIqRequestAndWaitForResponse(RawIq.set(null, "block", "urn:xmpp:blocking",
                    "<item jid='spammer@localhost'><report xmlns='urn:xmpp:reporting:1' reason='urn:xmpp:reporting:spam'>"
                            + "<text>cheap potions</text></report></item>"
                            + "<item jid='pest@elsewhere.example'><report xmlns='urn:xmpp:reporting:1'"
                            + " reason='urn:xmpp:reporting:abuse'/></item>"));
            JsonNode queue = JSON.readTree(call("GET", "/admin/api/reports", ADMIN, null).body());
            String local = reportAbout(queue, "spammer@localhost");
            String remote = reportAbout(queue, "pest@elsewhere.example");

            assertThat(call("POST", "/admin/api/reports/" + remote + "/lock-sender", ADMIN, null).statusCode())
                    .as("a remote sender has no account here to lock").isEqualTo(409);
            assertThat(call("POST", "/admin/api/reports/" + local + "/block-domain", ADMIN, null).statusCode())
                    .as("this server's own domain cannot be blocked").isEqualTo(409);
            assertThat(call("POST", "/admin/api/reports/" + local + "/lock-sender", ADMIN, null).statusCode())
                    .isEqualTo(200);
            awaitDisconnected(spammer);
            assertThatThrownBy(() -> login("spammer", "spammer-pw")).as("locked").isInstanceOf(Exception.class);
            // The remote sender's whole domain is blocked: nothing goes there from any account, until it is lifted.
            assertThat(call("POST", "/admin/api/reports/" + remote + "/block-domain", ADMIN, null).statusCode())
                    .isEqualTo(200);
            assertThat(call("GET", "/admin/api/blocked-domains", ADMIN, null).body()).isEqualTo("[\"elsewhere.example\"]");
            assertThat(RawIq.errorOf(victim, RawIq.get(JidCreate.entityBareFrom("friend@elsewhere.example"), "query",
                    "jabber:iq:version", ""))).isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(call("DELETE", "/admin/api/blocked-domains/elsewhere.example", ADMIN, null).statusCode())
                    .isEqualTo(204);
            assertThat(call("DELETE", "/admin/api/blocked-domains/elsewhere.example", ADMIN, null).statusCode())
                    .isEqualTo(404);
            assertThat(RawIq.errorOf(victim, RawIq.get(JidCreate.entityBareFrom("friend@elsewhere.example"), "query",
                    "jabber:iq:version", ""))).as("unblocked: the server tries to reach it")
                    .isNotEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(call("POST", "/admin/api/reports/no-such-report/dismiss", ADMIN, null).statusCode()).isEqualTo(404);
            String left = call("GET", "/admin/api/reports", ADMIN, null).body();
            assertThat(left).doesNotContain(local).doesNotContain(remote);
            assertThat(call("GET", "/admin/api/audit", ADMIN, null).body()).contains("report-lock-sender",
                    "report-block-domain", "unblock-domain");
        } finally {
            victim.disconnect();
            if (spammer.isConnected()) {
                spammer.disconnect();
            }
        }
    }

    @Test
    void anAccountInvitationIsAnXmppUri() throws Exception {
        HttpResponse<String> created = call("POST", "/admin/api/invitations", ADMIN,
                "{\"username\":\"newbie\",\"inviter\":\"admin@localhost\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("uri").asString()).startsWith("xmpp:newbie@localhost?register;preauth=");
        assertThat(call("POST", "/admin/api/invitations", ADMIN, "{\"username\":\"not valid@\"}").statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/admin/api/invitations", ADMIN, "{\"inviter\":\"someone@elsewhere.example\"}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void anAdministratorSeesAndEditsARosterAndTheUsersClientsGetThePushes() throws Exception {
        server.accounts().register("rosaline", "rosaline-pw");
        XMPPTCPConnection rosa = login("rosaline", "rosaline-pw");
        try {
            Roster roster = Roster.getInstanceFor(rosa);
            roster.reloadAndWait();
            BareJid tybalt = JidCreate.bareFrom("tybalt@localhost");

            assertThat(call("PUT", "/admin/api/users/rosaline/roster/tybalt@localhost", ADMIN,
                    "{\"name\":\"Tybalt\",\"groups\":[\"Capulets\"]}").statusCode()).isEqualTo(204);
            eventually(() -> roster.getEntry(tybalt) != null && "Tybalt".equals(roster.getEntry(tybalt).getName()),
                    "the roster push reached rosaline's client");
            assertThat(roster.getEntry(tybalt).getGroups()).extracting(RosterGroup::getName).containsExactly("Capulets");
            HttpResponse<String> listed = call("GET", "/admin/api/users/rosaline/roster", ADMIN, null);
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonNode contact = JSON.readTree(listed.body()).get(0);
            assertThat(contact.get("jid").asString()).isEqualTo("tybalt@localhost");
            assertThat(contact.get("name").asString()).isEqualTo("Tybalt");
            assertThat(contact.get("subscription").asString()).isEqualTo("none");
            assertThat(contact.get("groups").get(0).asString()).isEqualTo("Capulets");

            assertThat(call("DELETE", "/admin/api/users/rosaline/roster/tybalt@localhost", ADMIN, null).statusCode())
                    .isEqualTo(204);
            eventually(() -> roster.getEntry(tybalt) == null, "the removal reached rosaline's client");
            assertThat(call("DELETE", "/admin/api/users/rosaline/roster/tybalt@localhost", ADMIN, null).statusCode())
                    .as("no longer on the roster").isEqualTo(404);
            assertThat(call("GET", "/admin/api/users/rosaline/roster", ADMIN, null).body()).isEqualTo("[]");

            // Bad input: a contact that is no bare JID, empty groups, the account itself; unknown accounts.
            assertThat(call("PUT", "/admin/api/users/rosaline/roster/tybalt@localhost%2Fphone", ADMIN, "{}").statusCode())
                    .isEqualTo(400);
            assertThat(call("PUT", "/admin/api/users/rosaline/roster/tybalt@localhost", ADMIN,
                    "{\"groups\":[\"\"]}").statusCode()).isEqualTo(400);
            assertThat(call("PUT", "/admin/api/users/rosaline/roster/rosaline@localhost", ADMIN, "{}").statusCode())
                    .isEqualTo(400);
            assertThat(call("GET", "/admin/api/users/nobody/roster", ADMIN, null).statusCode()).isEqualTo(404);
            assertThat(call("PUT", "/admin/api/users/nobody/roster/tybalt@localhost", ADMIN, "{}").statusCode())
                    .isEqualTo(404);
            assertThat(call("GET", "/admin/api/audit", ADMIN, null).body()).contains("roster-set", "roster-remove",
                    "rosaline tybalt@localhost");
            String reader = token("rosters:read");
            assertThat(call("GET", "/admin/api/users/rosaline/roster", reader, null).statusCode()).isEqualTo(200);
            assertThat(call("DELETE", "/admin/api/users/rosaline/roster/x@localhost", reader, null).statusCode())
                    .as("rosters:write is not among its scopes").isEqualTo(403);
        } finally {
            rosa.disconnect();
        }
    }

    @Test
    void anAdministratorListsAndDestroysRoomsAndDeletesPubsubNodes() throws Exception {
        server.accounts().register("host", "host-pw");
        XMPPTCPConnection host = login("host", "host-pw");
        try {
            EntityBareJid hall = JidCreate.entityBareFrom("hall@conference.localhost");
            MultiUserChat room = MultiUserChatManager.getInstanceFor(host).getMultiUserChat(hall);
            room.create(Resourcepart.from("host")).makeInstant();
            CompletableFuture<String> destroyed = whenDestroyed(room);
            JsonNode rooms = JSON.readTree(call("GET", "/admin/api/rooms", ADMIN, null).body());
            JsonNode listed = null;
            for (JsonNode candidate : rooms) {
                listed = "hall@conference.localhost".equals(candidate.get("jid").asString()) ? candidate : listed;
            }
            assertThat(listed).as("the room is listed").isNotNull();
            assertThat(listed.get("occupants").asInt()).isEqualTo(1);
            // A user who asks the services what only the server may ask is refused, and the room stays.
            assertThat(RawIq.errorOf(host, RawIq.get(JidCreate.domainBareFrom("conference.localhost"), "rooms",
                    "urn:aviary:operator:0", ""))).isNotNull();
            assertThat(RawIq.errorOf(host, RawIq.set(hall, "destroy", "urn:aviary:operator:0", ""))).isNotNull();
            assertThat(RawIq.errorOf(host, RawIq.get(JidCreate.domainBareFrom("pubsub.localhost"), "nodes",
                    "urn:aviary:operator:0", ""))).isNotNull();
            assertThat(room.isJoined()).isTrue();
            assertThat(call("DELETE", "/admin/api/rooms/hall@elsewhere.example", ADMIN, null).statusCode())
                    .isEqualTo(400);
            assertThat(call("DELETE", "/admin/api/rooms/hall?reason=closing", ADMIN, null).statusCode()).isEqualTo(204);
            assertThat(destroyed.get(10, TimeUnit.SECONDS)).isEqualTo("closing");
            assertThat(call("GET", "/admin/api/rooms", ADMIN, null).body()).doesNotContain("hall@conference.localhost");
            assertThat(call("DELETE", "/admin/api/rooms/hall", ADMIN, null).statusCode()).isEqualTo(404);

            PubSubManager pubsub = PubSubManager.getInstanceFor(host, JidCreate.domainBareFrom("pubsub.localhost"));
            pubsub.createNode("gazette");
            assertThat(call("GET", "/admin/api/pubsub/nodes", ADMIN, null).body())
                    .contains("\"name\":\"gazette\"", "\"owner\":\"host@localhost\"");
            String reader = token("pubsub:read");
            assertThat(call("GET", "/admin/api/pubsub/nodes", reader, null).statusCode()).isEqualTo(200);
            assertThat(call("DELETE", "/admin/api/pubsub/nodes/gazette", reader, null).statusCode()).isEqualTo(403);
            assertThat(call("DELETE", "/admin/api/pubsub/nodes/gazette", ADMIN, null).statusCode()).isEqualTo(204);
            assertThat(call("GET", "/admin/api/pubsub/nodes", ADMIN, null).body()).doesNotContain("gazette");
            assertThat(call("DELETE", "/admin/api/pubsub/nodes/gazette", ADMIN, null).statusCode()).isEqualTo(404);
            assertThat(call("GET", "/admin/api/audit", ADMIN, null).body()).contains("destroy-room", "delete-node");
        } finally {
            host.disconnect();
        }
    }

    /** The reason the room gives its occupant {@code room} when it is destroyed. */
    static CompletableFuture<String> whenDestroyed(MultiUserChat room) {
        CompletableFuture<String> destroyed = new CompletableFuture<>();
        room.addUserStatusListener(new UserStatusListener() {
            @Override
            public void roomDestroyed(MultiUserChat alternate, String password, String reason) {
                destroyed.complete(reason);
            }
        });
        return destroyed;
    }

    private static String token(String scope) throws Exception {
        HttpResponse<String> created = call("POST", "/admin/api/tokens", ADMIN,
                "{\"name\":\"" + scope + "\",\"scopes\":[\"" + scope + "\"]}");
        return "Bearer " + JSON.readTree(created.body()).get("secret").asString();
    }

    private static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static String reportAbout(JsonNode queue, String reported) {
        for (JsonNode report : queue) {
            if (reported.equals(report.get("reported").asString())) {
                return report.get("id").asString();
            }
        }
        throw new AssertionError("no report about " + reported + " in " + queue);
    }

    // helpers

    @Test
    void theServerViewShowsHealthCapabilitiesAndConfigurationWithoutItsSecrets() throws Exception {
        HttpResponse<String> created = call("POST", "/admin/api/tokens", ADMIN,
                "{\"name\":\"monitoring\",\"scopes\":[\"server:read\"]}");
        String token = "Bearer " + JSON.readTree(created.body()).get("secret").asString();
        assertThat(call("GET", "/admin/api/users", token, null).statusCode()).isEqualTo(403);

        JsonNode cluster = JSON.readTree(call("GET", "/admin/api/cluster", token, null).body());
        assertThat(cluster.get("health").get("status").asString()).isEqualTo("UP");
        assertThat(cluster.get("health").has("db")).as(cluster.toString()).isTrue();
        assertThat(cluster.get("consumerLag").isArray()).as("the in-process bus: nothing lags").isTrue();
        assertThat(cluster.get("consumerLag")).isEmpty();

        JsonNode capabilities = JSON.readTree(call("GET", "/admin/api/capabilities", token, null).body());
        Set<String> names = new HashSet<>();
        capabilities.forEach(c -> names.add(c.get("name").asString()));
        assertThat(names).contains("roster", "federation", "muc");
        assertThat(capabilities.get(0).get("specifications")).isNotEmpty();

        HttpResponse<String> configuration = call("GET", "/admin/api/configuration", token, null);
        assertThat(configuration.body()).doesNotContain(DIALBACK_SECRET);
        JsonNode properties = JSON.readTree(configuration.body());
        assertThat(properties.get("aviary.s2s.dialback-secret").asString()).isEqualTo("******");
        assertThat(properties.get("aviary.admins[0]").asString()).isEqualTo("admin@localhost");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> call(String method, String path, String authorization, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static XMPPTCPConnection login(String user, String password) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, password, null).build());
    }

    /** Smack's initial presence reaches the registry on the session's own connection: wait until it is there. */
    private static void awaitAvailable(String user) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline
                && !call("GET", "/admin/api/users/" + user + "/sessions", ADMIN, null).body().contains("\"available\":true")) {
            Thread.sleep(50);
        }
    }

    private static void awaitDisconnected(XMPPTCPConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (connection.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(connection.isConnected()).as("the session was ended").isFalse();
    }
}
