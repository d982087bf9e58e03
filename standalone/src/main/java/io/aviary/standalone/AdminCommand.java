package io.aviary.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar aviary.jar admin [options] <command> [<argument>]}: the operator command for a running server or
 * cluster, through its admin API ({@code /admin/api} on the management port of the standalone app or of a cluster's
 * admin service). It covers what the API does: accounts (list and search, create, delete, password, lock), sessions
 * (per user and per gateway, kick), rosters, rooms and pubsub nodes, statistics, broadcast and message of the day, the
 * audit log, the abuse reports' queue with blocked domains, and invitations. ({@code aviary user ...} manages accounts directly on the standalone database instead, with
 * no server running.)
 *
 * <p>Credentials: an API token from {@code --token-file=<file>} or the environment variable {@code AVIARY_ADMIN_TOKEN};
 * or {@code --admin=<jid>} with that administrator's password as the first line of standard input. Passwords and
 * message texts are read from standard input (the line after the admin password, if any), never from the command
 * line, where other users of the machine could see them. The answer is printed as JSON. Exit codes: 0 success, 1 the
 * server refused or failed (its status and message on stderr), 2 usage.
 */
public final class AdminCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String DEFAULT_URL = "http://127.0.0.1:9090";
    private static final String API = "/admin/api";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** What the request carries besides its path: nothing, a JSON body built from the argument and a line of input. */
    private enum Body { NONE, EMPTY, USER_WITH_PASSWORD, PASSWORD, MESSAGE, INVITATION }

    /** One command: its name, whether it takes an argument, and the API call it makes. */
    private record Operation(String name, Arity arity, String method, String path, Body body, String help) {
    }

    private enum Arity { NONE, ONE, OPTIONAL, TWO }

    private static final List<Operation> OPERATIONS = List.of(
            new Operation("users", Arity.OPTIONAL, "GET", "/users?search={}", Body.NONE, "list accounts, or those matching <search>"),
            new Operation("user", Arity.ONE, "GET", "/users/{}", Body.NONE, "one account"),
            new Operation("add", Arity.ONE, "POST", "/users", Body.USER_WITH_PASSWORD, "create an account (password: a line of stdin)"),
            new Operation("delete", Arity.ONE, "DELETE", "/users/{}", Body.NONE, "delete an account and everything it owns"),
            new Operation("passwd", Arity.ONE, "PUT", "/users/{}/password", Body.PASSWORD, "change a password (a line of stdin)"),
            new Operation("lock", Arity.ONE, "POST", "/users/{}/lock", Body.NONE, "lock an account (its sessions end)"),
            new Operation("unlock", Arity.ONE, "POST", "/users/{}/unlock", Body.NONE, "unlock an account"),
            new Operation("sessions", Arity.ONE, "GET", "/users/{}/sessions", Body.NONE, "a user's sessions"),
            new Operation("kick", Arity.ONE, "DELETE", "/users/{}/sessions", Body.NONE, "end a user's sessions"),
            new Operation("roster", Arity.ONE, "GET", "/users/{}/roster", Body.NONE, "a user's roster"),
            new Operation("roster-add", Arity.TWO, "PUT", "/users/{}/roster/{}", Body.EMPTY, "add <contact> to <user>'s roster"),
            new Operation("roster-remove", Arity.TWO, "DELETE", "/users/{}/roster/{}", Body.NONE,
                    "remove <contact> from <user>'s roster"),
            new Operation("rooms", Arity.NONE, "GET", "/rooms", Body.NONE, "every group chat room"),
            new Operation("room-destroy", Arity.ONE, "DELETE", "/rooms/{}", Body.NONE, "destroy a room (its occupants are told)"),
            new Operation("nodes", Arity.NONE, "GET", "/pubsub/nodes", Body.NONE, "every node of the pubsub service"),
            new Operation("node-delete", Arity.ONE, "DELETE", "/pubsub/nodes/{}", Body.NONE, "delete a pubsub node"),
            new Operation("gateways", Arity.NONE, "GET", "/gateways", Body.NONE, "the gateways and their connections"),
            new Operation("gateway-sessions", Arity.ONE, "GET", "/gateways/{}/sessions", Body.NONE, "the sessions on one gateway"),
            new Operation("stats", Arity.NONE, "GET", "/statistics", Body.NONE, "server statistics"),
            new Operation("broadcast", Arity.NONE, "POST", "/broadcast", Body.MESSAGE, "a message to every online user (text: a line of stdin)"),
            new Operation("motd-set", Arity.NONE, "PUT", "/motd", Body.MESSAGE, "set the message of the day (text: a line of stdin)"),
            new Operation("motd-clear", Arity.NONE, "DELETE", "/motd", Body.NONE, "remove the message of the day"),
            new Operation("audit", Arity.NONE, "GET", "/audit", Body.NONE, "the audit log, newest first"),
            new Operation("reports", Arity.NONE, "GET", "/reports", Body.NONE, "the abuse reports waiting for review"),
            new Operation("report-lock", Arity.ONE, "POST", "/reports/{}/lock-sender", Body.NONE, "lock the local sender of a report"),
            new Operation("report-block-domain", Arity.ONE, "POST", "/reports/{}/block-domain", Body.NONE,
                    "block the remote domain of a report's sender for the whole server"),
            new Operation("blocked-domains", Arity.NONE, "GET", "/blocked-domains", Body.NONE, "the domains blocked"),
            new Operation("unblock-domain", Arity.ONE, "DELETE", "/blocked-domains/{}", Body.NONE, "lift a domain's block"),
            new Operation("report-dismiss", Arity.ONE, "POST", "/reports/{}/dismiss", Body.NONE, "dismiss a report"),
            new Operation("invite", Arity.OPTIONAL, "POST", "/invitations", Body.INVITATION, "an invitation link (for <username>, if given)"));

    private final BufferedReader stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    private AdminCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this.stdin = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err, System.getenv());
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        return new AdminCommand(in, out, err, environment).execute(args);
    }

    private int execute(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                out.println(usageText());
                return OK;
            } else if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else if (arg.startsWith("-")) {
                return usage("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        for (String option : options.keySet()) {
            if (!List.of("url", "token-file", "admin").contains(option)) {
                return usage("unknown option --" + option);
            }
        }
        if (positional.isEmpty()) {
            return usage("missing command");
        }
        Operation operation = OPERATIONS.stream().filter(o -> o.name().equals(positional.get(0))).findFirst().orElse(null);
        if (operation == null) {
            return usage("unknown command '" + positional.get(0) + "'");
        }
        List<String> arguments = positional.subList(1, positional.size());
        boolean fits = switch (operation.arity()) {
            case NONE -> arguments.isEmpty();
            case ONE -> arguments.size() == 1;
            case OPTIONAL -> arguments.size() <= 1;
            case TWO -> arguments.size() == 2;
        };
        if (!fits) {
            return usage(operation.name() + switch (operation.arity()) {
                case NONE -> " takes no argument";
                case TWO -> " takes two arguments";
                default -> " takes one argument";
            });
        }
        try {
            String authorization = authorization(options);
            if (authorization == null) {
                return usage("no credentials: --token-file=<file>, AVIARY_ADMIN_TOKEN or --admin=<jid> (password on stdin)");
            }
            return call(baseUrl(options), authorization, operation, arguments);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private String baseUrl(Map<String, String> options) {
        String url = options.getOrDefault("url", environment.getOrDefault("AVIARY_ADMIN_URL", DEFAULT_URL));
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code Bearer <token>} or {@code Basic <jid:password>}; null without any credentials. */
    private String authorization(Map<String, String> options) throws IOException {
        if (options.containsKey("admin")) {
            String password = line("the administrator's password");
            return "Basic " + Base64.getEncoder().encodeToString((options.get("admin") + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
        String token = options.containsKey("token-file")
                ? Files.readString(Path.of(options.get("token-file")), StandardCharsets.UTF_8).strip()
                : environment.get("AVIARY_ADMIN_TOKEN");
        return token == null || token.isBlank() ? null : "Bearer " + token.strip();
    }

    private int call(String base, String authorization, Operation operation, List<String> arguments)
            throws IOException, InterruptedException {
        String argument = arguments.isEmpty() ? null : arguments.get(0);
        String path = operation.path();
        if (path.contains("?") && argument == null) {
            path = path.substring(0, path.indexOf('?'));
        }
        for (String each : arguments) {
            path = path.replaceFirst("\\{}", Matcher.quoteReplacement(encode(each)));
        }
        String body = body(operation.body(), argument);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + API + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(operation.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 300) {
            err.println("error: HTTP " + response.statusCode() + " " + message(response.body()));
            return FAILED;
        }
        if (!response.body().isBlank()) {
            out.println(pretty(response.body()));
        }
        return OK;
    }

    private String body(Body kind, String argument) throws IOException {
        Function<Map<String, Object>, String> json = JSON::writeValueAsString;
        return switch (kind) {
            case NONE -> null;
            case EMPTY -> "{}";
            case USER_WITH_PASSWORD -> json.apply(Map.of("username", argument, "password", line("the new account's password")));
            case PASSWORD -> json.apply(Map.of("password", line("the new password")));
            case MESSAGE -> json.apply(Map.of("message", line("the message")));
            case INVITATION -> json.apply(argument == null ? Map.of() : Map.of("username", argument));
        };
    }

    /** One line of standard input: a secret or a text is never taken from the command line. */
    private String line(String what) throws IOException {
        String line = stdin.readLine();
        if (line == null || line.isEmpty()) {
            throw new IOException(what + " was expected as a line of standard input");
        }
        return line;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The API's error message ({@code {"status":..,"message":..}}), or the body as it came. */
    private static String message(String body) {
        try {
            var node = JSON.readTree(body);
            return node.has("message") ? node.get("message").asString() : body;
        } catch (JacksonException e) {
            return body;
        }
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (JacksonException e) {
            return body;
        }
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.println(usageText());
        return USAGE;
    }

    private static String usageText() {
        StringBuilder text = new StringBuilder("""
                usage: aviary admin [--url=<management URL>] [--token-file=<file> | --admin=<jid>] <command> [<argument>]
                  --url         the admin API's server (default AVIARY_ADMIN_URL, else %s)
                  --token-file  a file holding an API token (default: AVIARY_ADMIN_TOKEN)
                  --admin       an administrator's JID; the password is the first line of stdin
                commands:
                """.formatted(DEFAULT_URL));
        for (Operation operation : OPERATIONS) {
            String name = operation.name() + switch (operation.arity()) {
                case NONE -> "";
                case ONE -> " <arg>";
                case OPTIONAL -> " [<arg>]";
                case TWO -> " <arg> <arg>";
            };
            text.append("  %-24s %s%n".formatted(name, operation.help()));
        }
        return text.toString().stripTrailing();
    }
}
