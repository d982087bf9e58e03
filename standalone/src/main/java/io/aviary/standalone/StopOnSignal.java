package io.aviary.standalone;

import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;

/**
 * Stops the server on SIGTERM or SIGINT (Ctrl-C) by closing its application context first and only then exiting.
 * The JVM's own handling of those signals starts every shutdown hook at once, and H2's hook closed the embedded
 * database as the stop began, under the work the stop waits for ({@link BusDrainOnStop}): a benchmark's stop right
 * after 1,000 clients left failed 874 of their presence broadcasts on "Database is already closed". H2 refuses to
 * leave the closing to the application ({@code DB_CLOSE_ON_EXIT=FALSE}) with {@code AUTO_SERVER}, which the
 * {@code user} command needs. The exit status is the one the JVM gives for the signal (128 + its number).
 */
public final class StopOnSignal {

    private StopOnSignal() {
    }

    /** Call once the context has started; replaces the JVM's handling of SIGTERM and SIGINT for this process. */
    public static void install(ConfigurableApplicationContext context) {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                try {
                    context.close();
                } finally {
                    System.exit(128 + signal.getNumber());
                }
            });
        }
    }
}
