package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.ClientSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The XMPP load generator: {@code java -jar aviary-bench.jar <scenario> [--option value ...]}.
 * See docs/benchmarks.md for the scenarios, their options and what the figures mean.
 */
public final class LoadGenerator {

    private static final String USAGE = """
            usage: java -jar aviary-bench.jar <provision|idle|chat|muc|logins|chaos> [options]
              common:    --targets host:port[,host:port...] (127.0.0.1:5222)  --domain localhost
                         --starttls true|false (true)  --mech SCRAM-SHA-256|PLAIN  --password bench-password
                         --user-prefix bench-  --login-timeout 30s  --threads <event loops> (cores)  --json out.json
                         --scram-cache FILE (keeps SCRAM SaltedPasswords across runs)
                         --tls-engine auto|openssl|jdk (auto: OpenSSL when its native library loads)
                         --stream-management true|false (false; true: clients enable XEP-0198 with resumption, answer <r/>)
              provision: --users N  --connections 4  --window 16
              idle:      --users N  --ramp 500 (logins/s)  --hold 60s  --server-pid PID  --gc true
              chat:      --users U  --ramp 500  --rates 500,1000,2000,4000,8000,12000,16000  --step 30s  --warmup 10s  --grace 5s
                         --server-pid PID (server CPU per delivered message, resident memory)
                         --server-metrics URL (an Aviary server's Prometheus endpoint: messages it sent a second, late ones too)
              muc:       --users U  --ramp 500  --service conference.<domain>  --rooms 1  --room-size U  --join-rate 1000
                         --rates 10  --step 30s  --grace 5s  --server-pid PID (live heap per room)
              logins:    --rate R  --duration 30s  --warmup 5s  --users N (accounts cycled, 1000)  --server-pid PID (CPU per login)
                         --start-file FILE (after the warm-up, wait for FILE, then measure; a PID in it is the server's)
              chaos:     --pairs 100  --rate 200 (msg/s in all)  --faults a,b,...  --fault-command "CMD ARGS" (runs CMD ARGS <fault>)
                         --baseline 20s  --before 5s  --observe 40s  --settle 10s  --limit 120s  --grace 20s  --budget 15m
            """;

    private static final Set<String> COMMON = Set.of("targets", "domain", "starttls", "mech", "password", "user-prefix",
            "login-timeout", "threads", "json", "scram-cache", "tls-engine", "stream-management");
    /** The options each scenario reads, besides the common ones. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "provision", with("users", "connections", "window"),
            "idle", with("users", "ramp", "hold", "server-pid", "gc"),
            "chat", with("users", "ramp", "rates", "step", "warmup", "grace", "server-pid", "server-metrics"),
            "muc", with("users", "ramp", "service", "rooms", "room-size", "join-rate", "rates", "step", "grace",
                    "server-pid"),
            "logins", with("rate", "duration", "warmup", "users", "server-pid", "start-file"),
            "chaos", with("pairs", "rate", "faults", "fault-command", "baseline", "before", "observe", "settle", "limit",
                    "grace", "budget"));

    private static Set<String> with(String... names) {
        Set<String> all = new HashSet<>(COMMON);
        all.addAll(List.of(names));
        return Set.copyOf(all);
    }

    private LoadGenerator() {
    }

    private static ChaosScenario.Plan chaosPlan(CommandLine cli) {
        String command = cli.string("fault-command", null);
        if (command == null) {
            throw new IllegalArgumentException("chaos needs --fault-command (deploy/local/chaos.sh runs it for you)");
        }
        String faults = cli.string("faults", "");
        return new ChaosScenario.Plan(cli.integer("pairs", 100), cli.number("rate", 200),
                faults.isBlank() ? List.of() : List.of(faults.split(",")), command,
                cli.duration("baseline", Duration.ofSeconds(20)), cli.duration("before", Duration.ofSeconds(5)),
                cli.duration("observe", Duration.ofSeconds(40)), cli.duration("settle", Duration.ofSeconds(10)),
                cli.duration("limit", Duration.ofSeconds(120)), cli.duration("grace", Duration.ofSeconds(20)),
                cli.duration("budget", Duration.ofMinutes(15)));
    }

    private static MucScenario.Plan mucPlan(CommandLine cli, ClientSettings settings) {
        int users = cli.integer("users", 1000);
        return new MucScenario.Plan(users, cli.number("ramp", 500), cli.string("service", "conference." + settings.domain()),
                cli.integer("rooms", 1), cli.integer("room-size", users), cli.number("join-rate", 1000),
                cli.integers("rates", List.of(10)), cli.duration("step", Duration.ofSeconds(30)),
                cli.duration("grace", Duration.ofSeconds(5)), cli.string("server-pid", null));
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Set<String> known = OPTIONS.get(cli.command());
        if (known == null) {
            System.err.println("unknown scenario " + cli.command());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        List<String> unknown = cli.unknown(known);
        if (!unknown.isEmpty()) {
            System.err.println("unknown options for " + cli.command() + ": " + unknown);
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        ClientSettings settings = cli.clientSettings();
        int threads = cli.integer("threads", Runtime.getRuntime().availableProcessors());
        String json = cli.string("json", null);
        String scramCache = cli.string("scram-cache", null);
        try (ClientEngine engine = new ClientEngine(settings, threads)) {
            if (scramCache != null) {
                engine.saltedPasswords().load(Path.of(scramCache));
            }
            Report report = switch (cli.command()) {
                case "provision" -> new Provisioner(engine, cli.integer("users", 1000), cli.integer("window", 16), out)
                        .run(cli.integer("connections", 4));
                case "idle" -> IdleScenario.run(engine, cli.integer("users", 1000), cli.number("ramp", 500),
                        cli.duration("hold", Duration.ofSeconds(60)), cli.string("server-pid", null),
                        cli.bool("gc", true), out);
                case "chat" -> ChatScenario.run(engine, cli.integer("users", 1000), cli.number("ramp", 500),
                        cli.integers("rates", List.of(500, 1000, 2000, 4000, 8000, 12000, 16000)),
                        cli.duration("step", Duration.ofSeconds(30)), cli.duration("warmup", Duration.ofSeconds(10)),
                        cli.duration("grace", Duration.ofSeconds(5)), cli.string("server-pid", null),
                        Optional.ofNullable(cli.string("server-metrics", null)).map(URI::create).orElse(null), out);
                case "muc" -> MucScenario.run(engine, mucPlan(cli, settings), out);
                case "logins" -> LoginScenario.run(engine, cli.number("rate", 100),
                        cli.duration("duration", Duration.ofSeconds(30)), cli.duration("warmup", Duration.ofSeconds(5)),
                        cli.integer("users", 1000), cli.string("server-pid", null),
                        cli.string("start-file", null), out);
                case "chaos" -> ChaosScenario.run(engine, chaosPlan(cli), out);
                default -> throw new IllegalStateException("no scenario " + cli.command());
            };
            report.put("settings", Map.of("targets", cli.string("targets", "127.0.0.1:5222"), "domain", settings.domain(),
                    "starttls", settings.startTls(), "mechanism", settings.mechanism().name(), "threads", threads,
                    "tlsEngine", engine.tlsEngine()));
            if (scramCache != null) {
                engine.saltedPasswords().save(Path.of(scramCache));
            }
            if (json != null) {
                report.writeJson(Path.of(json));
                out.println("wrote " + json);
            }
        }
    }
}
