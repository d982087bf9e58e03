package io.aviary.admin.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The configuration this process runs with, for reading: the effective value of every property of Aviary and of the
 * services it uses (bus, registry, database, HTTP, logging), whatever set it (files, environment, command line), with
 * secrets masked. A key naming a password, secret, token, credential or key is masked whole, and so is the user
 * information of a URL (a Redis or JDBC URL may carry a password).
 */
public final class MaskedConfiguration {

    static final String MASK = "******";
    private static final String[] PREFIXES = {"aviary.", "server.", "management.", "logging.", "spring.kafka.",
            "spring.data.redis.", "spring.datasource.", "spring.flyway.", "spring.profiles.", "spring.application."};
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|private|passphrase|(^|[.\\-_\\[])key([.\\-_\\]]|$)).*");
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+(?=@)");

    private final ConfigurableEnvironment environment;

    public MaskedConfiguration(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /** Every such property, by name, with its effective value (secrets masked). */
    public Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>();
        environment.getPropertySources().forEach(source -> {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (!properties.containsKey(name) && relevant(name)) {
                        properties.put(name, mask(name, value(name)));
                    }
                }
            }
        });
        return properties;
    }

    private String value(String name) {
        try {
            return environment.getProperty(name);
        } catch (IllegalArgumentException e) {
            return "(unresolvable: " + e.getMessage() + ")"; // a placeholder naming a property that is not set
        }
    }

    private static boolean relevant(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static String mask(String name, String value) {
        if (value == null) {
            return null;
        }
        if (SECRET.matcher(name).matches()) {
            return value.isEmpty() ? "" : MASK;
        }
        return USER_INFO.matcher(value).replaceAll(MASK);
    }
}
