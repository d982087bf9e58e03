package io.aviary.standalone.e2e;

import io.aviary.account.Accounts;
import io.aviary.gateway.Gateway;
import io.aviary.s2s.Federation;
import io.aviary.standalone.AviaryApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real standalone Aviary on free loopback ports with its own data directory. */
public final class AviaryTestServer implements AutoCloseable {

    public static final String DOMAIN = "localhost";

    private final ConfigurableApplicationContext context;
    private final Path dataDir;

    private AviaryTestServer(ConfigurableApplicationContext context, Path dataDir) {
        this.context = context;
        this.dataDir = dataDir;
    }

    public static AviaryTestServer start(String... extraProperties) {
        try {
            return start(Files.createTempDirectory("aviary-test"), extraProperties);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server on {@code dataDir}, which may hold the files of a server that ran before (a restart). */
    public static AviaryTestServer start(Path dataDir, String... extraProperties) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AviaryApplication.class)
                .run(arguments(dataDir, extraProperties).toArray(String[]::new));
        return new AviaryTestServer(context, dataDir);
    }

    /**
     * The command-line arguments of a server on {@code dataDir}: the test defaults (free loopback ports, no login
     * warm-up) with {@code extraProperties} ({@code key=value}) added or in their place.
     */
    static List<String> arguments(Path dataDir, String... extraProperties) {
        List<String> defaults = List.of(
                "aviary.domain=" + DOMAIN,
                "aviary.data-dir=" + dataDir,
                "aviary.gateway.bind-address=127.0.0.1",
                "aviary.gateway.c2s-port=0",
                "aviary.gateway.direct-tls-port=0",
                "aviary.gateway.http.port=0",
                "aviary.gateway.http.tls-port=0",
                "aviary.proxy65.port=0",
                "aviary.components.port=0",
                "aviary.s2s.bind-address=127.0.0.1",
                "aviary.s2s.port=0",
                "aviary.s2s.direct-tls-port=-1",
                "aviary.upload.http.port=0",
                // Tests start many servers and measure no login times: the warm-up only where a test asks for it.
                "aviary.gateway.warm-up.logins=0",
                "server.port=0");
        List<String> args = new ArrayList<>();
        // A setting given twice would read as both values joined ("localhost,a.test"): a default only when the test
        // does not give its own.
        for (String setting : defaults) {
            String key = setting.substring(0, setting.indexOf('=') + 1);
            if (Arrays.stream(extraProperties).noneMatch(p -> p.startsWith(key))) {
                args.add("--" + setting);
            }
        }
        for (String property : extraProperties) {
            args.add("--" + property);
        }
        // Next to the data directory would be the shared temporary directory: keep each server's plugins its own.
        if (Arrays.stream(extraProperties).noneMatch(p -> p.startsWith("aviary.plugins.dir="))) {
            args.add("--aviary.plugins.dir=" + dataDir.resolve("plugins"));
        }
        return args;
    }

    public int c2sPort() {
        return context.getBean(Gateway.class).c2sPort();
    }

    public int directTlsPort() {
        return context.getBean(Gateway.class).directTlsPort();
    }

    /** The server-to-server port (RFC 6120 §4, STARTTLS), on a free loopback port. */
    public int s2sPort() {
        return context.getBean(Federation.class).port();
    }

    /** The server's XMPP domain ({@link #DOMAIN} unless the test gave {@code aviary.domain}). */
    public String domain() {
        return context.getEnvironment().getProperty("aviary.domain");
    }

    public Accounts accounts() {
        return context.getBean(Accounts.class);
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        context.close();
    }
}
