package io.aviary.standalone;

import io.aviary.account.Accounts;
import io.aviary.account.AccountConfiguration;
import io.aviary.roster.RosterServiceConfiguration;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code java -jar aviary.jar user <add|passwd|delete|lock|unlock|list> [<jid>] [--password-stdin] [--aviary.x=y ...]}:
 * account administration against the server's database, without starting any listener. (A lock made here stops new
 * logins; sessions already open end only through the running server: {@code aviary admin lock}.) {@code delete} locks
 * the account and asks the server to delete it ({@code Accounts.requestRemoval}), as only the server can take the
 * account's roster, messages, archive and the rest along and end its sessions; it waits a few seconds for a running
 * server to do so, and a stopped one does it when it next starts.
 *
 * <p>Configuration is read exactly as the server reads it ({@code application.yml}, environment,
 * {@code --key=value} arguments), but only the database, its Flyway migrations and the account
 * beans are created. The standalone database is opened with {@code AUTO_SERVER=TRUE}, so this works
 * while the server runs.
 *
 * <p>Passwords come from one line of standard input with {@code --password-stdin}, else from two
 * prompts on the terminal when there is one, else from one line of standard input. Exit codes:
 * 0 success, 1 failure (account exists, no such account, unacceptable password, database error),
 * 2 usage (unknown command, missing or malformed JID, JID not on {@code aviary.domain}).
 */
public final class UserCommand {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: aviary user add <user@domain> [--password-stdin] [--key=value ...]
                   aviary user passwd <user@domain> [--password-stdin] [--key=value ...]
                   aviary user delete <user@domain> [--key=value ...]
                   aviary user lock|unlock <user@domain> [--key=value ...]
                   aviary user list [--key=value ...]
            --key=value arguments are configuration properties, e.g. --aviary.data-dir=/var/lib/aviary""";

    /** Quiet, lazy beans: a wrong JID fails before the database is opened, and logs stay off stdout. */
    private static final Map<String, Object> COMMAND_PROPERTIES = Map.of(
            "spring.main.lazy-initialization", "true",
            "logging.level.root", "WARN",
            "logging.level.org.flywaydb", "ERROR");

    /** How long {@code delete} waits for a running server to complete the removal. */
    private static final Duration REMOVAL_WAIT = Duration.ofSeconds(5);

    private final BufferedReader stdin;
    private final PrintStream out;
    private final PrintStream err;

    private UserCommand(InputStream in, PrintStream out, PrintStream err) {
        this.stdin = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return new UserCommand(in, out, err).execute(args);
    }

    /** Only what the command needs: DataSource, Flyway, the account beans. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
            RosterServiceConfiguration.class, AccountConfiguration.class})
    static class Beans {
    }

    private int execute(String[] args) {
        List<String> positional = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        boolean passwordStdin = false;
        for (String arg : args) {
            if (arg.equals("--password-stdin")) {
                passwordStdin = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE_TEXT);
                return OK;
            } else if (arg.startsWith("--") && arg.indexOf('=') > 2) {
                properties.add(arg);
            } else if (arg.startsWith("-")) {
                return usage("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty()) {
            return usage("missing command");
        }
        String command = positional.get(0);
        int expected = switch (command) {
            case "add", "passwd", "delete", "lock", "unlock" -> 2;
            case "list" -> 1;
            default -> -1;
        };
        if (expected < 0) {
            return usage("unknown command '" + command + "'");
        }
        if (positional.size() != expected) {
            return usage(expected == 2 ? command + " takes one JID" : "list takes no JID");
        }
        try (ConfigurableApplicationContext context = start(properties)) {
            String domain = context.getEnvironment().getProperty("aviary.domain", "localhost");
            if (command.equals("list")) {
                context.getBean(Accounts.class).list().forEach(user -> out.println(user + "@" + domain));
                return OK;
            }
            Jid jid = parseJid(positional.get(1), domain);
            if (jid == null) {
                return USAGE;
            }
            // The admin service completes a delete (AccountRemovalRequests); without it nothing will.
            boolean serverDeletes = context.getEnvironment().getProperty("aviary.admin.enabled", Boolean.class, true);
            return manage(command, jid, context.getBean(Accounts.class), passwordStdin, serverDeletes);
        } catch (RuntimeException e) {
            err.println("error: " + rootMessage(e));
            return FAILED;
        }
    }

    private int manage(String command, Jid jid, Accounts accounts, boolean passwordStdin, boolean serverDeletes) {
        String username = jid.getLocalpartOrThrow().toString();
        Accounts.Result result;
        if (command.equals("delete")) {
            result = accounts.requestRemoval(username);
        } else if (command.equals("lock") || command.equals("unlock")) {
            result = accounts.setLocked(username, command.equals("lock"));
        } else {
            if (command.equals("passwd") && !accounts.exists(username)) {
                err.println("no such user " + jid);
                return FAILED;
            }
            if (command.equals("add") && accounts.exists(username)) {
                err.println(jid + " already exists");
                return FAILED;
            }
            String password = readPassword(passwordStdin);
            if (password == null) {
                return FAILED;
            }
            result = command.equals("add") ? accounts.register(username, password)
                    : accounts.changePassword(username, password);
        }
        String who = result.username() + "@" + jid.getDomain();
        switch (result.outcome()) {
            case CREATED -> out.println("created " + who);
            case PASSWORD_CHANGED -> out.println("changed the password of " + who);
            case REMOVAL_REQUESTED -> out.println(!serverDeletes
                    ? "locked " + who + "; the server deletes it only with its admin service on (aviary.admin.enabled)"
                    : awaitRemoval(accounts, username) ? "deleted " + who + " and everything kept for it"
                    : "locked " + who + "; the server deletes it, and everything kept for it, when it next runs");
            case LOCKED -> out.println("locked " + who);
            case UNLOCKED -> out.println("unlocked " + who);
            case EXISTS -> err.println(who + " already exists");
            case NO_SUCH_USER -> err.println("no such user " + who);
            default -> err.println(result.message());
        }
        return result.ok() ? OK : FAILED;
    }

    /**
     * Whether the running server completed the removal within {@link #REMOVAL_WAIT}: only it can take everything kept
     * for the account along (its admin service looks every two seconds).
     */
    private static boolean awaitRemoval(Accounts accounts, String username) {
        long deadline = System.nanoTime() + REMOVAL_WAIT.toNanos();
        while (accounts.exists(username)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The JID if it is {@code user@domain} on our domain; otherwise prints why and returns null. */
    private Jid parseJid(String text, String domain) {
        Jid jid;
        try {
            jid = JidCreate.from(text);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            usage("'" + text + "' is not a valid JID");
            return null;
        }
        if (!jid.isEntityBareJid()) {
            usage("'" + text + "' is not a bare JID of the form user@" + domain);
            return null;
        }
        try {
            if (!jid.getDomain().equals(JidCreate.domainBareFrom(domain).getDomain())) {
                usage(text + " is not on this server's domain " + domain + " (aviary.domain)");
                return null;
            }
        } catch (XmppStringprepException e) {
            err.println("error: aviary.domain '" + domain + "' is not a valid domain");
            return null;
        }
        return jid;
    }

    private String readPassword(boolean fromStdin) {
        Console console = fromStdin ? null : terminal();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] second = first == null ? null : console.readPassword("Again: ");
            if (first == null || second == null) {
                err.println("no password given");
                return null;
            }
            if (!Arrays.equals(first, second)) {
                err.println("the passwords do not match");
                return null;
            }
            return new String(first);
        }
        try {
            String line = stdin.readLine();
            if (line == null) {
                err.println("no password on standard input");
            }
            return line;
        } catch (IOException e) {
            err.println("error: cannot read the password: " + e.getMessage());
            return null;
        }
    }

    /**
     * The console if standard input is a terminal. From Java 22 {@code System.console()} is non-null
     * even when input is redirected, and {@code Console.isTerminal()} tells the difference.
     */
    private static Console terminal() {
        Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
        } catch (ReflectiveOperationException e) {
            return console; // before Java 22 a console always means a terminal
        }
    }

    private static ConfigurableApplicationContext start(List<String> properties) {
        // Placed first here; Spring then puts the command-line arguments above it, so they still win.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("aviaryUserCommand", COMMAND_PROPERTIES));
        return new SpringApplicationBuilder(Beans.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .environment(environment)
                .run(properties.toArray(String[]::new));
    }

    private int usage(String problem) {
        err.println("error: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }
}
