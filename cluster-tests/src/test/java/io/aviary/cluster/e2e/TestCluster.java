package io.aviary.cluster.e2e;

import io.aviary.account.Accounts;
import io.aviary.admin.AdminServiceApplication;
import io.aviary.archive.ArchiveServiceApplication;
import io.aviary.gateway.Gateway;
import io.aviary.gateway.GatewayServiceApplication;
import io.aviary.jdbctest.PostgresDatabase;
import io.aviary.muc.MucServiceApplication;
import io.aviary.pubsub.PubsubServiceApplication;
import io.aviary.roster.RosterServiceApplication;
import io.aviary.router.RouterServiceApplication;
import io.aviary.s2s.S2sServiceApplication;
import io.aviary.session.SessionServiceApplication;
import io.aviary.session.redis.RedisProcess;
import io.aviary.testclients.FreePorts;
import io.aviary.upload.UploadServiceApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A whole cluster on this machine: an in-JVM KRaft broker, a real redis-server, an embedded PostgreSQL, and each tier as its
 * own Spring application (gateways, routers and group chat services may also run as their own process, to be killed). Liveness is tuned short
 * (beat every second, dead after three) so failure tests finish quickly.
 */
final class TestCluster implements AutoCloseable {

    static final Duration GATEWAY_TTL = Duration.ofSeconds(3);

    private final EmbeddedKafkaKraftBroker kafka;
    private final PostgresDatabase database;
    private final Path dataDir;
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private TestCluster(EmbeddedKafkaKraftBroker kafka, PostgresDatabase database, Path dataDir) {
        this.kafka = kafka;
        this.database = database;
        this.dataDir = dataDir;
    }

    static TestCluster start() throws IOException {
        RedisProcess.flushed();
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
        // A new consumer group would otherwise wait 3 s for more members before its first assignment.
        kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
        kafka.afterPropertiesSet();
        Path dataDir = Files.createTempDirectory("aviary-cluster");
        // Empty: the roster service migrates it, as in production.
        return new TestCluster(kafka, PostgresDatabase.create(), dataDir);
    }

    /** The settings every tier gets, as command-line arguments (what an operator passes as environment). */
    List<String> commonArguments() {
        return new ArrayList<>(List.of(
                "--aviary.domain=localhost",
                "--aviary.bus.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--aviary.bus.kafka.partitions=4",
                "--aviary.registry.redis.url=" + RedisProcess.url(),
                "--aviary.registry.redis.gateway-ttl=" + GATEWAY_TTL.toSeconds() + "s",
                "--aviary.registry.redis.heartbeat-interval=1s",
                "--aviary.registry.redis.sweep-interval=1s",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--server.port=0",
                // Every stanza traced into one file, which an order reads back (docs/architecture.md, "Tracing").
                "--aviary.tracing.enabled=true",
                "--aviary.tracing.sampling-probability=1",
                "--aviary.tracing.file=" + traces()));
    }

    /** The spans of every tier, one JSON object per line ({@code aviary.tracing.file}). */
    Path traces() {
        return dataDir.resolve("traces.jsonl");
    }

    /** The roster service, with the sample plugin in its plugins directory (it hosts the server's requests). */
    ConfigurableApplicationContext startRoster() throws IOException {
        Path plugins = Files.createDirectories(dataDir.resolve("roster-plugins"));
        Files.copy(Path.of("target", "test-plugins", "plugin-motd.jar"), plugins.resolve("motd.jar"));
        return started(RosterServiceApplication::start, List.of("--aviary.plugins.dir=" + plugins));
    }

    /** An archive service (XEP-0313, XEP-0357); it migrates its own tables. */
    ConfigurableApplicationContext startArchive() {
        return started(ArchiveServiceApplication::start, List.of());
    }

    /**
     * An upload service (files and calls) with {@code arguments} of its own: files in a directory of the cluster's, the
     * URL-signing key a cluster must be given, HTTPS and the SOCKS5 proxy on free ports (another test cluster on the
     * machine may hold the default 7777).
     */
    ConfigurableApplicationContext startUpload(List<String> arguments) {
        List<String> all = new ArrayList<>(List.of("--aviary.data-dir=" + dataDir.resolve("upload"),
                "--aviary.upload.http.secret=cluster-upload-url-key", "--aviary.upload.http.port=0",
                "--aviary.proxy65.port=0"));
        all.addAll(arguments);
        return started(UploadServiceApplication::start, all);
    }

    /**
     * A group chat service (the muc tier); several may run, the muc topic's partitions divide the rooms. Its rooms are
     * in the cluster's PostgreSQL, whose tables it migrates.
     */
    ConfigurableApplicationContext startMuc() {
        return started(MucServiceApplication::start, List.of());
    }

    /** A group chat service as its own JVM, from the runnable jar; its management port answers once it has started. */
    ServiceProcess startMucProcess(String name) throws IOException, InterruptedException {
        int managementPort = freePort();
        return startProcess(name, "aviary.muc.jar", List.of("--server.port=" + managementPort), managementPort);
    }

    /** A publish-subscribe service (PEP and pubsub.<domain>) on the cluster's database. */
    ConfigurableApplicationContext startPubsub() {
        return started(PubsubServiceApplication::start, List.of());
    }

    /**
     * A federation instance (the s2s tier) with {@code arguments} of its own, such as its components; its
     * server-to-server listener on a free port (several run in this JVM), XEP-0368 direct TLS off.
     */
    ConfigurableApplicationContext startS2s(List<String> arguments) {
        List<String> all = new ArrayList<>(List.of("--aviary.s2s.port=0", "--aviary.s2s.direct-tls-port=-1"));
        all.addAll(arguments);
        return started(S2sServiceApplication::start, all);
    }

    /** A federation instance as its own JVM, from the runnable jar; the port is its server-to-server listener. */
    ServiceProcess startS2sProcess(String name, List<String> arguments) throws IOException, InterruptedException {
        int s2sPort = freePort();
        List<String> all = new ArrayList<>(List.of("--aviary.s2s.port=" + s2sPort, "--aviary.s2s.direct-tls-port=-1",
                "--server.port=0"));
        all.addAll(arguments);
        return startProcess(name, "aviary.s2s.jar", all, s2sPort);
    }

    /** An admin service (the admin API and the web console) with {@code arguments} of its own, such as its administrators. */
    ConfigurableApplicationContext startAdmin(List<String> arguments) {
        return started(AdminServiceApplication::start, arguments);
    }

    /** An admin service as its own JVM, from the runnable jar; the port is its management port (API and console). */
    ServiceProcess startAdminProcess(String name, List<String> arguments) throws IOException, InterruptedException {
        int managementPort = freePort();
        List<String> all = new ArrayList<>(arguments);
        all.add("--server.port=" + managementPort);
        return startProcess(name, "aviary.admin.jar", all, managementPort);
    }

    ConfigurableApplicationContext startSession() {
        return started(SessionServiceApplication::start, List.of());
    }

    ConfigurableApplicationContext startRouter() {
        return started(RouterServiceApplication::start, List.of());
    }

    /** A gateway in this JVM; {@link #c2sPort} tells where it listens. */
    ConfigurableApplicationContext startGateway(String id) {
        return startGateway(id, 0);
    }

    /** The same, logging in to itself {@code warmUpLogins} times after start before it reports ready. */
    ConfigurableApplicationContext startGateway(String id, int warmUpLogins) {
        List<String> arguments = new ArrayList<>(gatewayArguments(id, 0));
        arguments.add("--aviary.gateway.warm-up.logins=" + warmUpLogins);
        return started(GatewayServiceApplication::start, arguments);
    }

    /** A tier in its own JVM and the port it was given (a gateway's client port, a router's management port). */
    record ServiceProcess(Process process, int port) {
    }

    /** A gateway as its own JVM, from the runnable jar, on a free port. */
    ServiceProcess startGatewayProcess(String id) throws IOException, InterruptedException {
        int c2sPort = freePort();
        List<String> arguments = new ArrayList<>(gatewayArguments(id, c2sPort));
        arguments.add("--server.port=0"); // several gateway processes may run at once
        arguments.add("--aviary.gateway.warm-up.logins=0");
        return startProcess(id, "aviary.gateway.jar", arguments, c2sPort);
    }

    /** A router as its own JVM, from the runnable jar; its management port answers once it has started. */
    ServiceProcess startRouterProcess(String name) throws IOException, InterruptedException {
        int managementPort = freePort();
        return startProcess(name, "aviary.router.jar", List.of("--server.port=" + managementPort), managementPort);
    }

    private ServiceProcess startProcess(String name, String jarProperty, List<String> arguments, int port)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-jar", System.getProperty(jarProperty)));
        command.addAll(commonArguments().stream().filter(a -> !a.startsWith("--server.port=")).toList());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(name + ".log").toFile()).start();
        processes.add(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start; see " + dataDir.resolve(name + ".log"));
            }
            Thread.sleep(200);
        }
        return new ServiceProcess(process, port);
    }

    private List<String> gatewayArguments(String id, int c2sPort) {
        return List.of("--aviary.gateway.id=" + id,
                "--aviary.data-dir=" + dataDir.resolve(id),
                "--aviary.gateway.bind-address=127.0.0.1",
                "--aviary.gateway.c2s-port=" + c2sPort,
                "--aviary.gateway.direct-tls-port=-1",
                "--aviary.gateway.http.enabled=false",
                // The tests' clients all come from this machine's one address, as through a load balancer.
                "--aviary.gateway.max-connections-per-address=0");
    }

    static int c2sPort(ConfigurableApplicationContext gateway) {
        return gateway.getBean(Gateway.class).c2sPort();
    }

    Accounts accounts(ConfigurableApplicationContext roster) {
        return roster.getBean(Accounts.class);
    }

    private ConfigurableApplicationContext started(Function<String[], ConfigurableApplicationContext> application,
                                                   List<String> extra) {
        List<String> arguments = commonArguments();
        arguments.addAll(extra);
        ConfigurableApplicationContext context = application.apply(arguments.toArray(String[]::new));
        contexts.add(context);
        return context;
    }

    private static int freePort() throws IOException {
        return FreePorts.pick(1)[0];
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
        List<ConfigurableApplicationContext> newestFirst = new ArrayList<>(contexts);
        Collections.reverse(newestFirst);
        newestFirst.forEach(ConfigurableApplicationContext::close);
        kafka.destroy();
    }
}
