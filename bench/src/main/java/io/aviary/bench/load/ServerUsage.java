package io.aviary.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a server process has used so far (user and system, from {@code /proc/<pid>/stat}) and its resident
 * memory: sampled before and after a stretch of a run, the server's cost of what the stretch did, whatever the
 * server is (an Aviary JVM, ejabberd's BEAM).
 */
record ServerUsage(double cpuSeconds, long residentBytes) {

    /** Linux reports process times in USER_HZ ticks, 100 a second on every architecture the bench runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /** The usage of {@code pid} now; null when no pid was given. */
    static ServerUsage of(String pid) {
        if (pid == null) {
            return null;
        }
        try {
            // By line: Files.readString reads some /proc files short.
            String stat = Files.readAllLines(Path.of("/proc", pid, "stat")).get(0);
            // Field 2, the command name, may hold spaces: count from after its closing parenthesis (field 3 first).
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
            return new ServerUsage(ticks / TICKS_PER_SECOND, ProcessMemory.residentBytes(pid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage of server process " + pid, e);
        }
    }

    /** Server CPU microseconds per unit of work done between {@code before} and this sample. */
    double microsPer(ServerUsage before, long units) {
        return units == 0 ? Double.NaN : (cpuSeconds - before.cpuSeconds) * 1e6 / units;
    }

    double residentMegabytes() {
        return residentBytes / (1024.0 * 1024.0);
    }
}
