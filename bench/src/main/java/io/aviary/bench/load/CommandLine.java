package io.aviary.bench.load;

import io.aviary.client.ClientSettings;
import io.aviary.client.ClientSettings.Mechanism;
import io.aviary.client.ClientSettings.TlsEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A subcommand and its {@code --name value} (or {@code --name=value}) options. */
final class CommandLine {

    private final String command;
    private final Map<String, String> options;

    private CommandLine(String command, Map<String, String> options) {
        this.command = command;
        this.options = options;
    }

    static CommandLine parse(String... args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException("the first argument must be a subcommand");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("expected --option, got '" + arg + "'");
            }
            int eq = arg.indexOf('=');
            if (eq > 0) {
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value");
            }
        }
        return new CommandLine(args[0], options);
    }

    String command() {
        return command;
    }

    /** How the simulated clients connect and log in, from {@code --targets}, {@code --mech} and the other login options. */
    ClientSettings clientSettings() {
        String mech = string("mech", "SCRAM-SHA-256");
        Mechanism mechanism = switch (mech.toUpperCase()) {
            case "SCRAM-SHA-256" -> Mechanism.SCRAM_SHA_256;
            case "PLAIN" -> Mechanism.PLAIN;
            default -> throw new IllegalArgumentException("--mech must be SCRAM-SHA-256 or PLAIN, not " + mech);
        };
        return new ClientSettings(ClientSettings.parseTargets(string("targets", "127.0.0.1:5222")),
                string("domain", "localhost"), bool("starttls", true), mechanism,
                string("password", "bench-password"), string("user-prefix", "bench-"),
                duration("login-timeout", Duration.ofSeconds(30)), tlsEngine(string("tls-engine", "auto")),
                bool("stream-management", false));
    }

    private static TlsEngine tlsEngine(String name) {
        try {
            return TlsEngine.valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-engine must be auto, openssl or jdk, not " + name);
        }
    }

    String string(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    int integer(String name, int defaultValue) {
        String value = string(name, null);
        return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
    }

    double number(String name, double defaultValue) {
        String value = string(name, null);
        return value == null ? defaultValue : Double.parseDouble(value);
    }

    boolean bool(String name, boolean defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        return switch (value) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, not " + value);
        };
    }

    Duration duration(String name, Duration defaultValue) {
        String value = string(name, null);
        return value == null ? defaultValue : parseDuration(value);
    }

    /** A comma-separated list of numbers, e.g. {@code --rates 500,1000,2000}. */
    List<Integer> integers(String name, List<Integer> defaultValue) {
        String value = string(name, null);
        if (value == null) {
            return defaultValue;
        }
        List<Integer> values = new ArrayList<>();
        for (String part : value.split(",")) {
            values.add(Integer.parseInt(part.trim()));
        }
        return List.copyOf(values);
    }

    /** Options given that are not among {@code known} (typos, or options of another scenario). */
    List<String> unknown(Set<String> known) {
        return options.keySet().stream().filter(name -> !known.contains(name)).map(name -> "--" + name).toList();
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, or plain seconds. */
    static Duration parseDuration(String value) {
        String v = value.trim();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }
}
