package io.aviary.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database is its owner's: file permissions, a password, an AUTO_SERVER on loopback only. */
class EmbeddedDatabaseFilesTest {

    @TempDir
    Path parent;

    private int user(Path dataDir, String stdin, String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--aviary.data-dir=" + dataDir;
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return UserCommand.run(all, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), sink, sink);
    }

    private static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir + "/aviary;AUTO_SERVER=TRUE";
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theDataDirectoryThePasswordAndTheDatabaseAreTheOwnersOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path dataDir = parent.resolve("data");
        assertThat(user(dataDir, "pw\n", "add", "juliet@localhost", "--password-stdin")).isZero();
        assertThat(user(dataDir, "", "list")).isZero();

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(permissions(dataDir.resolve(EmbeddedDatabaseFiles.PASSWORD_FILE))).isEqualTo("rw-------");
        assertThat(permissions(dataDir.resolve("aviary.mv.db"))).isEqualTo("rw-------");
    }

    @Test
    void theDatabaseWantsThePasswordAndItsAutoServerListensOnLoopbackOnly() throws Exception {
        Path dataDir = parent.resolve("data");
        assertThat(user(dataDir, "pw\n", "add", "juliet@localhost", "--password-stdin")).isZero();
        String password = Files.readString(dataDir.resolve(EmbeddedDatabaseFiles.PASSWORD_FILE)).strip();

        assertThatThrownBy(() -> DriverManager.getConnection(url(dataDir), "aviary", "").close())
                .isInstanceOf(SQLException.class);
        // Like a running server: holds the file, so the AUTO_SERVER is up, and a command goes through it.
        try (Connection server = DriverManager.getConnection(url(dataDir), "aviary", password)) {
            Properties lock = new Properties();
            try (InputStream in = Files.newInputStream(dataDir.resolve("aviary.lock.db"))) {
                lock.load(in);
            }
            int port = Integer.parseInt(lock.getProperty("server").replaceFirst(".*:", ""));
            try (Socket loopback = new Socket()) {
                loopback.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            }
            for (InetAddress address : nonLoopbackAddresses()) {
                try (Socket outside = new Socket()) {
                    assertThatThrownBy(() -> outside.connect(new InetSocketAddress(address, port), 5000))
                            .as("AUTO_SERVER port %d on %s", port, address).isInstanceOf(IOException.class);
                }
            }
            assertThat(user(dataDir, "pw\n", "add", "romeo@localhost", "--password-stdin")).isZero();
            assertThat(server.createStatement().executeQuery("SELECT COUNT(*) FROM accounts")).satisfies(rs -> {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            });
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> !a.isLinkLocalAddress()).toList();
    }

    @Test
    void aDataDirectoryRelativeToTheWorkingDirectoryIsTakenAsSuch() throws Exception {
        // "target/...", not "./target/...": the form H2 refuses as implicitly relative.
        Path relative = Path.of("target", "relative-data-" + System.nanoTime());
        try {
            assertThat(user(relative, "pw\n", "add", "juliet@localhost", "--password-stdin")).isZero();
            assertThat(relative.toAbsolutePath().resolve("aviary.mv.db")).exists();
            assertThat(relative.toAbsolutePath().resolve(EmbeddedDatabaseFiles.PASSWORD_FILE)).exists();
        } finally {
            try (Stream<Path> files = Files.walk(relative)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aDatabaseMadeWithTheEmptyPasswordGetsTheGeneratedOne() throws Exception {
        Path dataDir = Files.createDirectories(parent.resolve("data"));
        DriverManager.getConnection(url(dataDir), "aviary", "").close(); // as an earlier version made it

        assertThat(user(dataDir, "pw\n", "add", "juliet@localhost", "--password-stdin")).isZero();

        String password = Files.readString(dataDir.resolve(EmbeddedDatabaseFiles.PASSWORD_FILE)).strip();
        assertThatThrownBy(() -> DriverManager.getConnection(url(dataDir), "aviary", "").close())
                .isInstanceOf(SQLException.class);
        DriverManager.getConnection(url(dataDir), "aviary", password).close();
    }
}
