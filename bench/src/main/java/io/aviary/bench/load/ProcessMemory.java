package io.aviary.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resident memory of a process from {@code /proc/<pid>/status}, and a full GC through {@code jcmd}. */
final class ProcessMemory {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private ProcessMemory() {
    }

    /** VmRSS of {@code pid} in bytes ("self" for this JVM). */
    static long residentBytes(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return parseKilobytes(line.substring("VmRSS:".length())) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    static long parseKilobytes(String value) {
        String v = value.trim();
        if (!v.endsWith("kB")) {
            throw new IllegalArgumentException("expected a value in kB, got " + value);
        }
        return Long.parseLong(v.substring(0, v.length() - 2).trim());
    }

    /**
     * Asks the JVM {@code pid} for a full GC ({@code jcmd <pid> GC.run}) so the heap holds only live
     * objects. Returns false when jcmd is missing or fails (a non-Java server, another user).
     */
    static boolean gc(String pid) {
        try {
            Process p = new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Heap in use in the JVM {@code pid} ({@code jcmd <pid> GC.heap_info}), right after a {@link #gc}
     * the live heap; -1 when jcmd is missing or fails.
     */
    static long heapUsedBytes(String pid) {
        try {
            Process p = new ProcessBuilder("jcmd", pid, "GC.heap_info").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? parseHeapUsed(output) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Sums "used NK" over the heap lines of GC.heap_info (one line for G1, one per generation for
     * the other collectors), leaving out Metaspace and class space, which are not heap.
     */
    static long parseHeapUsed(String heapInfo) {
        long total = -1;
        for (String line : heapInfo.split("\n")) {
            String l = line.trim();
            if (l.startsWith("Metaspace") || l.startsWith("class space")) {
                continue;
            }
            Matcher m = USED.matcher(l);
            if (l.contains("total") && m.find()) {
                total = Math.max(total, 0) + Long.parseLong(m.group(1)) * 1024;
            }
        }
        return total;
    }

    /** Heap in use in this JVM after a full collection. */
    static long liveHeapBytes() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
