package io.aviary.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario prints: a plain-text table for people and the same figures as JSON for tools.
 * The JSON is written by hand from maps, lists, records and scalars; the generator jar stays free
 * of a JSON library.
 */
final class Report {

    private final String scenario;
    private final Map<String, Object> json = new LinkedHashMap<>();

    Report(String scenario) {
        this.scenario = scenario;
        json.put("scenario", scenario);
    }

    /** Adds a value to the JSON document (records become objects). */
    Report put(String key, Object value) {
        json.put(key, value);
        return this;
    }

    /** Prints {@code rows} under {@code headers} with aligned columns. */
    static void table(PrintStream out, List<String> headers, List<List<String>> rows) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(headers, widths));
        StringBuilder rule = new StringBuilder();
        for (int w : widths) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        rows.forEach(row -> out.println(line(row, widths)));
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(" ".repeat(widths[i] - cells.get(i).length())).append(cells.get(i)).append("  ");
        }
        return sb.toString().stripTrailing();
    }

    /** Two-column key/value table. */
    static void keyValues(PrintStream out, Map<String, String> values) {
        List<List<String>> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(List.of(k, v)));
        table(out, List.of("figure", "value"), rows);
    }

    static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String fixed2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    void writeJson(Path file) throws IOException {
        if (file == null) {
            return;
        }
        Files.writeString(file, toJson(json) + "\n");
    }

    String scenario() {
        return scenario;
    }

    static String toJson(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            quote(sb, s);
        } else if (value instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", d));
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, String.valueOf(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof Collection<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, item);
            }
            sb.append(']');
        } else if (value instanceof Record record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    fields.put(component.getName(), component.getAccessor().invoke(record));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + component.getName(), e);
                }
            }
            append(sb, fields);
        } else {
            quote(sb, value.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
