package io.aviary.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.admin.api.ApiTokens;
import io.aviary.admin.api.Scope;
import io.aviary.standalone.e2e.AviaryTestServer;
import io.aviary.testclients.XmppClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code aviary admin ...} against a running standalone server's admin API: the operator manages accounts and sessions
 * and messages users with the effects a Smack client sees, with an API token (from a file or the environment) or an
 * administrator's password; wrong credentials and server refusals exit 1 with the server's reason, bad usage exits 2.
 */
class AdminCommandTest {

    private static AviaryTestServer server;
    private static String url;
    private static String token;

    @BeforeAll
    static void start() {
        server = AviaryTestServer.start("aviary.admins[0]=admin@" + AviaryTestServer.DOMAIN);
        server.accounts().register("admin", "admin-pw");
        url = "--url=http://127.0.0.1:" + server.context().getEnvironment().getProperty("local.server.port");
        token = server.context().getBean(ApiTokens.class).create("cli", EnumSet.allOf(Scope.class), "admin@localhost")
                .secret();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOperatorCreatesAnAccountThatLogsInThenLocksAndDeletesIt() throws Exception {
        Run added = admin("carol-pw\n", Map.of("AVIARY_ADMIN_TOKEN", token), "add", "carol");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(server.accounts().exists("carol")).isTrue();
        XMPPTCPConnection carol = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "carol", "carol-pw", "SCRAM-SHA-1").build());

        Run listed = admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "users", "car");
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("carol");
        Run sessions = admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "sessions", "carol");
        assertThat(sessions.out()).contains("carol@localhost/");

        assertThat(admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "lock", "carol").exit()).isZero();
        awaitDisconnected(carol);
        assertThatThrownBy(() -> XmppClients.connect(XmppClients.startTls(server.c2sPort(), "carol", "carol-pw", "SCRAM-SHA-1").build()))
                .isInstanceOf(SASLErrorException.class);

        assertThat(admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "delete", "carol").exit()).isZero();
        assertThat(server.accounts().exists("carol")).isFalse();
        Run missing = admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "user", "carol");
        assertThat(missing.exit()).isEqualTo(AdminCommand.FAILED);
        assertThat(missing.err()).contains("HTTP 404");
    }

    @Test
    void aTokenFileWorksAndThePasswordComesFromStandardInput() throws Exception {
        server.accounts().register("dave", "dave-pw");
        Path file = Files.createTempFile("aviary-token", ".txt");
        Files.writeString(file, token + "\n");

        Run changed = admin("dave-new-pw\n", Map.of(), "--token-file=" + file, "passwd", "dave");

        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(server.accounts().verifyPassword("dave", "dave-new-pw")).isTrue();
        assertThat(admin("", Map.of(), "--token-file=" + file, "passwd", "dave").exit())
                .as("no password on stdin").isEqualTo(AdminCommand.FAILED);
    }

    @Test
    void anAdministratorBroadcastsAndKicksWithHisPassword() throws Exception {
        server.accounts().register("erin", "erin-pw");
        XMPPTCPConnection erin = XmppClients.connect(XmppClients.startTls(server.c2sPort(), "erin", "erin-pw", "SCRAM-SHA-1").build());
        BlockingQueue<Message> inbox = XmppClients.inbox(erin);

        Run broadcast = admin("admin-pw\nMaintenance at noon\n", Map.of(), "--admin=admin@localhost", "broadcast");
        assertThat(broadcast.exit()).as(broadcast.err()).isZero();
        Message announced = XmppClients.next(inbox, Duration.ofSeconds(10));
        assertThat(announced).isNotNull();
        assertThat(announced.getBody()).isEqualTo("Maintenance at noon");

        assertThat(admin("admin-pw\n", Map.of(), "--admin=admin@localhost", "kick", "erin").exit()).isZero();
        awaitDisconnected(erin);
    }

    @Test
    void anOperatorEditsARosterAndListsRoomsAndNodes() {
        server.accounts().register("frank", "frank-pw");
        Map<String, String> env = Map.of("AVIARY_ADMIN_TOKEN", token);

        Run added = admin("", env, "roster-add", "frank", "grace@localhost");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(admin("", env, "roster", "frank").out()).contains("\"grace@localhost\"");
        assertThat(admin("", env, "roster-remove", "frank", "grace@localhost").exit()).isZero();
        assertThat(admin("", env, "roster", "frank").out()).doesNotContain("grace@localhost");
        Run again = admin("", env, "roster-remove", "frank", "grace@localhost");
        assertThat(again.exit()).isEqualTo(AdminCommand.FAILED);
        assertThat(again.err()).contains("HTTP 404");

        assertThat(admin("", env, "rooms").exit()).isZero();
        assertThat(admin("", env, "nodes").exit()).isZero();
        assertThat(admin("", env, "blocked-domains").out()).isEqualTo("[ ]\n");
        assertThat(admin("", env, "roster-add", "frank").err()).contains("roster-add takes two arguments");
    }

    @Test
    void wrongCredentialsAndNonAdministratorsAreRefused() {
        server.accounts().register("mallory", "mallory-pw");

        Run wrongToken = admin("", Map.of("AVIARY_ADMIN_TOKEN", "aviary_nope_nope"), "users");
        assertThat(wrongToken.exit()).isEqualTo(AdminCommand.FAILED);
        assertThat(wrongToken.err()).contains("HTTP 401");
        Run mallory = admin("mallory-pw\n", Map.of(), "--admin=mallory@localhost", "users");
        assertThat(mallory.exit()).isEqualTo(AdminCommand.FAILED);
        assertThat(mallory.err()).contains("HTTP 403");
        assertThat(admin("", Map.of(), "users").exit()).as("no credentials at all").isEqualTo(AdminCommand.USAGE);
    }

    @Test
    void badUsageSaysWhy() {
        Run noArgument = admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "kick");
        assertThat(noArgument.exit()).isEqualTo(AdminCommand.USAGE);
        assertThat(noArgument.err()).contains("kick takes one argument").contains("usage: aviary admin");
        assertThat(admin("", Map.of(), "--colour=red", "users").exit()).isEqualTo(AdminCommand.USAGE);
        assertThat(admin("", Map.of("AVIARY_ADMIN_TOKEN", token), "shutdown").err()).contains("unknown command 'shutdown'");
        Run help = admin("", Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("report-dismiss", "motd-set", "gateway-sessions");
    }

    private static void awaitDisconnected(XMPPTCPConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(connection.isConnected()).as("the server ended the session").isFalse();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run admin(String stdin, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] withUrl = new String[args.length + 1];
        withUrl[0] = url;
        System.arraycopy(args, 0, withUrl, 1, args.length);
        int exit = AdminCommand.run(withUrl, new ByteArrayInputStream(stdin.getBytes(Charset.defaultCharset())),
                new PrintStream(out, true, Charset.defaultCharset()), new PrintStream(err, true, Charset.defaultCharset()),
                environment);
        return new Run(exit, out.toString(Charset.defaultCharset()), err.toString(Charset.defaultCharset()));
    }
}
