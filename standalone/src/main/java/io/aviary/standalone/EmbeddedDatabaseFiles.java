package io.aviary.standalone;

import io.aviary.tls.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the standalone app's embedded H2 database to its owner, for the server and the {@code user} command alike:
 * <ul>
 * <li>the data directory is 0700 and the database files 0600 (POSIX file systems): made so before the database is
 *     opened, and again once the application has started, for the files H2 created meanwhile;</li>
 * <li>the AUTO_SERVER, through which the {@code user} command shares the file with a running server, listens on
 *     loopback only ({@code h2.bindAddress}) and asks for a password: one generated on first start into
 *     {@code <data-dir>/database.password} (0600) and offered to both as {@code aviary.database.password}. A database
 *     made by an earlier version with the empty password gets the new one.</li>
 * </ul>
 * A relative {@code aviary.data-dir} is made absolute against the working directory first: H2 refuses a file path that
 * is "implicitly relative" ({@code data}, where {@code ./data} would do), which an operator should not have to know.
 * Applies only when {@code spring.datasource.url} is an H2 file; another database is the operator's to secure.
 */
public final class EmbeddedDatabaseFiles implements EnvironmentPostProcessor, ApplicationListener<ApplicationStartedEvent>,
        Ordered {

    public static final String PASSWORD_FILE = "database.password";
    static final String PASSWORD_PROPERTY = "aviary.database.password";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after application.yml and the command line are read
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path dataDir = embeddedDataDir(environment);
        if (dataDir == null) {
            return;
        }
        if (!dataDir.isAbsolute()) {
            dataDir = dataDir.toAbsolutePath().normalize();
            environment.getPropertySources().addFirst(
                    new MapPropertySource("aviaryDataDirectory", Map.of("aviary.data-dir", dataDir.toString())));
        }
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1"); // read once, when H2 is first used in this JVM
        }
        try {
            OwnerOnlyFiles.directory(dataDir);
            String password = password(environment, dataDir);
            environment.getPropertySources().addLast(
                    new MapPropertySource("aviaryDatabasePassword", Map.of(PASSWORD_PROPERTY, password)));
            restrictDatabaseFiles(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot secure the data directory " + dataDir, e);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        Path dataDir = embeddedDataDir(event.getApplicationContext().getEnvironment());
        if (dataDir != null) {
            try {
                restrictDatabaseFiles(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot secure the database files in " + dataDir, e);
            }
        }
    }

    private static Path embeddedDataDir(Environment environment) {
        String url = environment.getProperty("spring.datasource.url", "");
        return url.startsWith("jdbc:h2:file:") ? Path.of(environment.getProperty("aviary.data-dir", "./data")) : null;
    }

    /** The stored password, or a new one (which an existing database, made with the empty password, is given). */
    private static String password(ConfigurableEnvironment environment, Path dataDir) throws IOException {
        Path file = dataDir.resolve(PASSWORD_FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        if (hasDatabase(dataDir)) {
            setPassword(environment, password);
        }
        Files.writeString(OwnerOnlyFiles.newFile(file), password + "\n", StandardCharsets.US_ASCII);
        return password;
    }

    private static void setPassword(Environment environment, String password) {
        String user = environment.getProperty("spring.datasource.username", "aviary");
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"), user, "");
             Statement statement = connection.createStatement()) {
            // Base64url: no quote to escape. H2 takes no parameter in this statement.
            statement.execute("ALTER USER \"" + user.toUpperCase(Locale.ROOT).replace("\"", "\"\"")
                    + "\" SET PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give the existing database its password", e);
        }
    }

    private static boolean hasDatabase(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"));
        }
    }

    private static void restrictDatabaseFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".db"))::iterator) {
                OwnerOnlyFiles.restrict(file);
            }
        }
    }
}
