package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link ServerUsage} read from this JVM's own {@code /proc} entries. */
class ServerUsageTest {

    @Test
    void cpuTimeGrowsWithWorkAndMemoryIsThisProcesssResidentSize() throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        ServerUsage before = ServerUsage.of(pid);
        long sum = 0;
        long until = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < until) {
            sum += Long.toString(sum).hashCode(); // 0.3 s of work on this thread
        }
        ServerUsage after = ServerUsage.of(pid);
        assertThat(after.cpuSeconds() - before.cpuSeconds()).as("CPU seconds used (%d)", sum).isBetween(0.2, 60.0);
        assertThat(after.microsPer(before, 1000)).isGreaterThan(200.0);
        assertThat(after.residentBytes()).isGreaterThan(10L << 20)
                .isLessThan(Runtime.getRuntime().maxMemory() + (2L << 30));
        assertThat(ServerUsage.of(null)).isNull();
    }
}
