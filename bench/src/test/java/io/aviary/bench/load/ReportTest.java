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
}
