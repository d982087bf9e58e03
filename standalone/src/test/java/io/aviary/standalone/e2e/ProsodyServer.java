package io.aviary.standalone.e2e;

import io.aviary.testclients.FreePorts;
import io.aviary.tls.ServerCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Prosody (Debian's package) for interop tests: its own configuration, data, certificate and log in a temporary
 * directory, c2s and s2s on free loopback ports, static routes to the servers it federates with (through
 * {@code mod_aviary_route}, since Prosody has no static routes), run in the foreground and stopped with the test.
 */
final class ProsodyServer implements AutoCloseable {

    private static final Path PROSODY = Path.of("/usr/bin/prosody");
    private static final Path PROSODYCTL = Path.of("/usr/bin/prosodyctl");

    private final Path directory;
    private final Path config;
    private final int c2sPort;
    private final int s2sPort;
    private final Process process;

    private ProsodyServer(Path directory, Path config, int c2sPort, int s2sPort, Process process) {
        this.directory = directory;
        this.config = config;
        this.c2sPort = c2sPort;
        this.s2sPort = s2sPort;
        this.process = process;
    }

    /** Why Prosody cannot run here (null when it can): the tests are then skipped, saying so. */
    static String missing() {
        return Files.isExecutable(PROSODY) && Files.isExecutable(PROSODYCTL) ? null
                : "prosody is not installed (apt-get install prosody)";
    }

    /**
     * Starts Prosody serving {@code domain}.
     *
     * @param routes      remote domain to {@code host:port}
     * @param certificate the PEM certificate and key it presents, or null for a self-signed one for {@code domain}
     * @param trusted     a PEM file of the certificates it trusts (for certificate authentication), or null
     * @param secureAuth  Prosody's {@code s2s_secure_auth}: certificates required, no dialback alone
     */
    static ProsodyServer start(String domain, Map<String, String> routes, Path[] certificate, Path trusted,
                               boolean secureAuth) throws Exception {
        Path directory = Files.createTempDirectory("prosody-" + domain);
        Files.createDirectories(directory.resolve("data"));
        Path plugins = Files.createDirectories(directory.resolve("plugins"));
        try (InputStream module = ProsodyServer.class.getResourceAsStream("/interop/mod_aviary_route.lua")) {
            Files.copy(module, plugins.resolve("mod_aviary_route.lua"));
        }
        Path[] pair = certificate;
        if (pair == null) {
            ServerCertificate.selfSigned(directory.resolve("certs"), domain);
            pair = new Path[] {directory.resolve("certs/self-signed-" + domain + ".crt"),
                    directory.resolve("certs/self-signed-" + domain + ".key")};
        }
        int[] ports = FreePorts.pick(2);
        String routeTable = routes.entrySet().stream()
                .map(route -> "[\"" + route.getKey() + "\"] = \"" + route.getValue() + "\"")
                .collect(Collectors.joining("; ", "{ ", " }"));
        String ssl = "ssl = { certificate = \"" + pair[0] + "\"; key = \"" + pair[1] + "\";"
                + (trusted == null ? "" : " cafile = \"" + trusted + "\";") + " }";
        String text = String.join("\n",
                "run_as_root = true",
                "daemonize = false",
                "pidfile = \"" + directory.resolve("prosody.pid") + "\"",
                "data_path = \"" + directory.resolve("data") + "\"",
                "log = { debug = \"" + directory.resolve("prosody.log") + "\" }",
                "interfaces = { \"127.0.0.1\" }",
                "c2s_ports = { " + ports[0] + " }",
                "s2s_ports = { " + ports[1] + " }",
                "c2s_direct_tls_ports = {}",
                "s2s_direct_tls_ports = {}",
                "http_ports = {}",
                "https_ports = {}",
                "certificates = \"" + directory.resolve("certs") + "\"",
                "plugin_paths = { \"" + plugins + "\" }",
                "modules_enabled = { \"roster\", \"saslauth\", \"tls\", \"dialback\", \"disco\", \"ping\", \"s2s_bidi\", \"aviary_route\" }",
                "authentication = \"internal_plain\"",
                "s2s_secure_auth = " + secureAuth,
                "aviary_routes = " + routeTable,
                ssl,
                "VirtualHost \"" + domain + "\"",
                "    " + ssl,
                "");
        Path config = directory.resolve("prosody.cfg.lua");
        Files.writeString(config, text);
        Process process = new ProcessBuilder(PROSODY.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("console.log").toFile()).start();
        ProsodyServer server = new ProsodyServer(directory, config, ports[0], ports[1], process);
        server.awaitListening(ports[0]);
        return server;
    }

    /** Creates an account with {@code prosodyctl register}. */
    void register(String user, String domain, String password) throws Exception {
        Process register = new ProcessBuilder(PROSODYCTL.toString(), "--config", config.toString(), "register", user, domain,
                password).redirectErrorStream(true).start();
        String output = new String(register.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!register.waitFor(30, TimeUnit.SECONDS) || register.exitValue() != 0) {
            throw new IllegalStateException("prosodyctl register " + user + " failed: " + output);
        }
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prosody exited: " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("prosody did not listen on " + port + " within 20 s: " + log());
    }

    int c2sPort() {
        return c2sPort;
    }

    int s2sPort() {
        return s2sPort;
    }

    /** Its log, for failure messages. */
    String log() {
        try {
            List<String> lines = new ArrayList<>();
            for (String name : List.of("console.log", "prosody.log")) {
                Path file = directory.resolve(name);
                if (Files.exists(file)) {
                    lines.addAll(Files.readAllLines(file));
                }
            }
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
