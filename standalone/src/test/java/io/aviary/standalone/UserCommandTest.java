package io.aviary.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.account.JdbcAccountStore;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The operator adds, lists, re-keys and deletes accounts in a fresh data directory. */
class UserCommandTest {

    @TempDir
    Path dataDir;

    private SingleConnectionDataSource server;
    private String out;
    private String err;

    private int user(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--aviary.data-dir=" + dataDir);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Charset charset = Charset.defaultCharset();
        int code = UserCommand.run(all.toArray(String[]::new), new ByteArrayInputStream(stdin.getBytes(charset)),
                new PrintStream(stdout, true, charset), new PrintStream(stderr, true, charset));
        out = stdout.toString(charset);
        err = stderr.toString(charset);
        return code;
    }

    /**
     * What the server reads: the same database file. Once opened, the connection stays open like a
     * running server's, and later commands share the database with it (AUTO_SERVER).
     */
    private JdbcAccountStore database() {
        if (server == null) {
            try {
                String password = Files.readString(dataDir.resolve(EmbeddedDatabaseFiles.PASSWORD_FILE)).strip();
                server = new SingleConnectionDataSource("jdbc:h2:file:" + dataDir + "/aviary;AUTO_SERVER=TRUE",
                        "aviary", password, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new JdbcAccountStore(server);
    }

    @AfterEach
    void closeDatabase() {
        if (server != null) {
            server.destroy();
        }
    }

    private void assertPassword(String username, String password) {
        JdbcAccountStore store = database();
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            ScramCredentials stored = store.scram(username, algorithm).orElseThrow();
            assertThat(ScramCredentials.derive(algorithm, password, stored.salt(), stored.iterations()))
                    .as("%s %s", username, algorithm).isEqualTo(stored);
        }
    }

    @Test
    void theOperatorManagesAccountsFromTheCommandLine() {
        assertThat(user("", "list")).isZero();
        assertThat(out).isEmpty();

        assertThat(user("R0m30\n", "add", "juliet@localhost", "--password-stdin")).isZero();
        assertThat(out.strip()).isEqualTo("created juliet@localhost");
        assertPassword("juliet", "R0m30");

        assertThat(user("J0liet\n", "add", "Romeo@LocalHost")).isZero(); // no console: one line of stdin
        assertThat(out.strip()).isEqualTo("created romeo@localhost");

        assertThat(user("other\n", "add", "juliet@localhost", "--password-stdin")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("juliet@localhost already exists");
        assertPassword("juliet", "R0m30");

        assertThat(user("", "list")).isZero();
        assertThat(out.lines()).containsExactly("juliet@localhost", "romeo@localhost");

        assertThat(user("N3w pass\n", "passwd", "juliet@localhost", "--password-stdin")).isZero();
        assertThat(out.strip()).isEqualTo("changed the password of juliet@localhost");
        assertPassword("juliet", "N3w pass");

        assertThat(user("", "lock", "juliet@localhost")).isZero();
        assertThat(out.strip()).isEqualTo("locked juliet@localhost");
        assertThat(database().locked("juliet")).isTrue();
        assertThat(user("", "unlock", "juliet@localhost")).isZero();
        assertThat(out.strip()).isEqualTo("unlocked juliet@localhost");
        assertThat(database().locked("juliet")).isFalse();

        // No server runs here to take the account's data along: the account is locked and waits for it
        // (RegistrationEndToEndTest has a running server complete the deletion).
        assertThat(user("", "delete", "juliet@localhost")).isZero();
        assertThat(out.strip()).isEqualTo(
                "locked juliet@localhost; the server deletes it, and everything kept for it, when it next runs");
        assertThat(database().locked("juliet")).isTrue();
        assertThat(database().scram("juliet", ScramAlgorithm.SHA_256)).isEmpty();
        assertThat(database().removalRequests()).containsExactly("juliet");

        // Without the admin service nothing completes it, and the command says so rather than promise.
        assertThat(user("", "delete", "romeo@localhost", "--aviary.admin.enabled=false")).isZero();
        assertThat(out.strip()).isEqualTo(
                "locked romeo@localhost; the server deletes it only with its admin service on (aviary.admin.enabled)");
        assertThat(database().removalRequests()).containsExactly("juliet", "romeo");
    }

    @Test
    void missingAccountsAreFailures() {
        assertThat(user("pw\n", "passwd", "nobody@localhost", "--password-stdin")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("no such user nobody@localhost");

        assertThat(user("", "delete", "nobody@localhost")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("no such user nobody@localhost");

        assertThat(user("", "lock", "nobody@localhost")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("no such user nobody@localhost");
    }

    @Test
    void unusablePasswordsAreFailures() {
        assertThat(user("\n", "add", "juliet@localhost", "--password-stdin")).isEqualTo(1);
        assertThat(err).contains("empty");
        assertThat(user("", "add", "juliet@localhost", "--password-stdin")).isEqualTo(1);
        assertThat(err).contains("no password");

        assertThat(user("", "list")).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void usageErrorsExitWithTwoAndTouchNoDatabase() {
        assertThat(user("")).isEqualTo(2);
        assertThat(user("", "frobnicate")).isEqualTo(2);
        assertThat(user("", "add")).isEqualTo(2);
        assertThat(user("", "list", "juliet@localhost")).isEqualTo(2);
        assertThat(user("", "add", "juliet@localhost", "--verbose")).isEqualTo(2);
        assertThat(user("pw\n", "add", "juliet@capulet.lit", "--password-stdin")).isEqualTo(2);
        assertThat(err).contains("not on this server's domain localhost");
        assertThat(user("pw\n", "add", "localhost", "--password-stdin")).isEqualTo(2);
        assertThat(user("pw\n", "add", "juliet@localhost/balcony", "--password-stdin")).isEqualTo(2);
        assertThat(user("pw\n", "add", "ju liet@localhost", "--password-stdin")).isEqualTo(2);
        assertThat(err).contains("usage:");

        assertThat(Files.exists(dataDir.resolve("aviary.mv.db"))).isFalse();
    }

    @Test
    void theDomainComesFromConfiguration() {
        assertThat(user("pw\n", "add", "juliet@capulet.lit", "--password-stdin", "--aviary.domain=capulet.lit"))
                .isZero();
        assertThat(out.strip()).isEqualTo("created juliet@capulet.lit");

        assertThat(user("", "list", "--aviary.domain=capulet.lit")).isZero();
        assertThat(out.lines()).containsExactly("juliet@capulet.lit");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(user("", "--help")).isZero();
        assertThat(out).contains("aviary user add");
    }
}
