package io.aviary.standalone.e2e;

import io.aviary.testclients.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ejabberd (Debian's package, run through {@code ejabberdctl} as its own user) for interop tests: its own
 * configuration, Mnesia spool, certificate and logs in a temporary directory owned by that user, c2s and s2s on free
 * loopback ports, a node name of its own. ejabberd has no static routes: it looks for SRV records (here, with no name
 * server, there are none), then connects to the remote domain's address on {@code outgoing_s2s_port}; so the Aviary it
 * federates with is {@code localhost}, on that port.
 */
final class EjabberdServer implements AutoCloseable {

    private static final Path EJABBERDCTL = Path.of("/usr/sbin/ejabberdctl");

    private final Path directory;
    private final String node;
    private final int c2sPort;
    private final int s2sPort;
    private final Process process;

    private EjabberdServer(Path directory, String node, int c2sPort, int s2sPort, Process process) {
        this.directory = directory;
        this.node = node;
        this.c2sPort = c2sPort;
        this.s2sPort = s2sPort;
        this.process = process;
    }

    /** Why ejabberd cannot run here (null when it can): the tests are then skipped, saying so. */
    static String missing() {
        if (!Files.isExecutable(EJABBERDCTL)) {
            return "ejabberd is not installed (apt-get install ejabberd)";
        }
        return "root".equals(System.getProperty("user.name")) ? null
                : "ejabberdctl runs ejabberd as its own user, which only root may switch to";
    }

    /** Starts ejabberd serving {@code domain}, connecting out to remote domains on {@code outgoingPort}. */
    static EjabberdServer start(String domain, int outgoingPort) throws Exception {
        Path directory = Files.createTempDirectory("ejabberd-" + domain);
        Files.createDirectories(directory.resolve("db"));
        Files.createDirectories(directory.resolve("log"));
        Path key = directory.resolve("key.pem");
        Path certificate = directory.resolve("certificate.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + domain,
                "-addext", "subjectAltName=DNS:" + domain));
        Files.writeString(directory.resolve("both.pem"), Files.readString(certificate) + Files.readString(key));
        int[] ports = FreePorts.pick(2);
        Files.writeString(directory.resolve("ejabberd.yml"), String.join("\n",
                "hosts:",
                "  - " + domain,
                "loglevel: info",
                "certfiles:",
                "  - " + directory.resolve("both.pem"),
                "listen:",
                "  - port: " + ports[0],
                "    ip: \"127.0.0.1\"",
                "    module: ejabberd_c2s",
                "    starttls_required: true",
                "  - port: " + ports[1],
                "    ip: \"127.0.0.1\"",
                "    module: ejabberd_s2s_in",
                "s2s_use_starttls: required",
                "outgoing_s2s_port: " + outgoingPort,
                "outgoing_s2s_families: [ipv4]",
                "s2s_dns_timeout: 2",
                "s2s_dns_retries: 1",
                "auth_method: internal",
                "acl:",
                "  local:",
                "    user_regexp: \"\"",
                "access_rules:",
                "  s2s:",
                "    allow: all",
                "s2s_access: s2s",
                "modules:",
                "  mod_disco: {}",
                "  mod_ping: {}",
                "  mod_roster: {}",
                "  mod_s2s_dialback: {}",
                ""));
        // Erlang's resolver without name servers: SRV lookups find nothing at once (no DNS needed or waited for), and
        // addresses come from /etc/hosts (localhost).
        Files.writeString(directory.resolve("inetrc"), "{resolv_conf, \"\"}.\n{lookup, [file, dns]}.\n");
        // ejabberdctl reads ejabberdctl.cfg and points Erlang at inetrc, both in its configuration directory.
        Files.writeString(directory.resolve("ejabberdctl.cfg"), "");
        // ejabberdctl switches to the ejabberd user: the directory must be its own.
        UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.toList()) {
                Files.setOwner(file, users.lookupPrincipalByName("ejabberd"));
            }
        }
        String node = "aviary-interop-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        List<String> command = new ArrayList<>(ctl(directory, node));
        command.add("foreground");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("console.log").toFile()).start();
        EjabberdServer server = new EjabberdServer(directory, node, ports[0], ports[1], process);
        server.awaitListening(ports[0]);
        return server;
    }

    private static List<String> ctl(Path directory, String node) {
        return List.of(EJABBERDCTL.toString(), "--config-dir", directory.toString(), "--spool", directory.resolve("db").toString(),
                "--logs", directory.resolve("log").toString(), "--node", node);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** Creates an account with {@code ejabberdctl register}. */
    void register(String user, String domain, String password) throws Exception {
        List<String> command = new ArrayList<>(ctl(directory, node));
        command.addAll(List.of("register", user, domain, password));
        run(command);
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ejabberd exited: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("ejabberd did not listen on " + port + " within 60 s: " + log());
    }

    int c2sPort() {
        return c2sPort;
    }

    int s2sPort() {
        return s2sPort;
    }

    /** Its logs' last lines, for failure messages. */
    String log() {
        List<String> lines = new ArrayList<>();
        for (Path file : List.of(directory.resolve("console.log"), directory.resolve("log/ejabberd.log"))) {
            try {
                if (Files.exists(file)) {
                    lines.addAll(Files.readAllLines(file));
                }
            } catch (IOException e) {
                lines.add("(" + file + " unreadable: " + e + ")");
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    /** {@code ejabberdctl stop}, then the processes of this node if any outlived it. */
    @Override
    public void close() throws Exception {
        List<String> stop = new ArrayList<>(ctl(directory, node));
        stop.add("stop");
        Process stopping = new ProcessBuilder(stop).redirectErrorStream(true).start();
        stopping.getInputStream().readAllBytes();
        stopping.waitFor(30, TimeUnit.SECONDS);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        new ProcessBuilder("pkill", "-f", node).start().waitFor(10, TimeUnit.SECONDS);
    }
}
