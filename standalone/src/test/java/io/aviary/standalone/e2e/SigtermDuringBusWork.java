package io.aviary.standalone.e2e;

import io.aviary.standalone.StopOnSignal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * A server process for {@link ShutdownEndToEndTest}: starts a standalone server on {@code args[0]}, has its bus hand a
 * handler that reads the database for two seconds, and writes to {@code args[1]} "handling" when it has begun,
 * then "read" with the number of reads, or "failed" with why a read failed. The test sends SIGTERM in between.
 */
public final class SigtermDuringBusWork {

    private SigtermDuringBusWork() {
    }

    public static void main(String[] args) throws Exception {
        Path outcome = Path.of(args[1]);
        AviaryTestServer server = AviaryTestServer.start(Path.of(args[0]));
        // As AviaryApplication.main does once the server has started.
        StopOnSignal.install(server.context());
        CompletableFuture<Integer> read = new CompletableFuture<>();
        // On the bus's thread, within the stop: the process may end as soon as the stop has.
        read.whenComplete((value, failure) -> append(outcome, failure == null ? "read " + value : "failed " + failure));
        ShutdownEndToEndTest.slowReadOnTheBus(server, read).await();
        append(outcome, "handling");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
