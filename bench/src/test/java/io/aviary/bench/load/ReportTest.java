package io.aviary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void writesRecordsMapsAndListsAsJson() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a \"quoted\"\nline");
        doc.put("latency", new Percentiles(3, 1.5, 2, 3, 4));
        doc.put("rates", List.of(500, 1000));
        doc.put("best", null);

        assertThat(Report.toJson(doc)).isEqualTo("{\"name\":\"a \\\"quoted\\\"\\nline\","
                + "\"latency\":{\"count\":3,\"p50Ms\":1.500,\"p95Ms\":2.000,\"p99Ms\":3.000,\"maxMs\":4.000},"
                + "\"rates\":[500,1000],\"best\":null}");
    }

    @Test
    void alignsTableColumnsToTheWidestCell() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Report.table(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of("rate", "p99 ms"),
                List.of(List.of("500", "1.25"), List.of("16000", "12.50")));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                " rate  p99 ms",
                "-----  ------",
                "  500    1.25",
                "16000   12.50");
    }

    @Test
    void readsResidentMemoryFromProc() throws Exception {
        assertThat(ProcessMemory.parseKilobytes("   123456 kB")).isEqualTo(123456);
        assertThat(ProcessMemory.residentBytes("self")).isPositive();
    }

    @Test
    void readsTheUsedHeapFromJcmdOutput() {
        String g1 = """
                12345:
                 garbage-first heap   total 245760K, used 173624K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 27 young (110592K), 0 survivors (0K)
                 Metaspace       used 63975K, committed 64704K, reserved 1114112K
                  class space    used 7904K, committed 8256K, reserved 1048576K
                """;
        String parallel = """
                 PSYoungGen      total 76288K, used 1000K [0x1, 0x2, 0x3)
                  eden space 65536K, 1% used [0x1,0x2,0x3)
                 ParOldGen       total 175104K, used 2000K [0x1, 0x2, 0x3)
                 Metaspace       used 63975K, committed 64704K, reserved 1114112K
                """;

        assertThat(ProcessMemory.parseHeapUsed(g1)).isEqualTo(173624L * 1024);
        assertThat(ProcessMemory.parseHeapUsed(parallel)).isEqualTo(3000L * 1024);
        assertThat(ProcessMemory.parseHeapUsed("jcmd: no such process")).isEqualTo(-1);
    }
}
