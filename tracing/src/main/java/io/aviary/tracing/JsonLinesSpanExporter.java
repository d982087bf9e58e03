package io.aviary.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;

/**
 * Appends spans to a file, one JSON object per line (trace and span ids, parent, name, kind, service, start and end
 * in epoch nanoseconds, attributes): traces without a collector, which several processes can append to and a reader
 * groups by {@code traceId}.
 */
public final class JsonLinesSpanExporter implements SpanExporter {

    private static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");

    private final FileChannel out;

    public JsonLinesSpanExporter(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /**
     * One batch, one append: the tiers of a process (or several processes) may share the file, and a single write in
     * append mode keeps each batch's lines whole.
     */
    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
        StringBuilder batch = new StringBuilder();
        for (SpanData span : spans) {
            batch.append(json(span)).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }

    static String json(SpanData span) {
        StringBuilder json = new StringBuilder("{");
        field(json, "traceId", span.getTraceId()).append(',');
        field(json, "spanId", span.getSpanId()).append(',');
        field(json, "parentSpanId", span.getParentSpanContext().isValid() ? span.getParentSpanId() : "").append(',');
        field(json, "name", span.getName()).append(',');
        field(json, "kind", span.getKind().name()).append(',');
        String service = span.getResource().getAttribute(SERVICE);
        field(json, "service", service == null ? "" : service).append(',');
        json.append("\"start\":").append(span.getStartEpochNanos()).append(',');
        json.append("\"end\":").append(span.getEndEpochNanos()).append(',');
        json.append("\"attributes\":{");
        boolean first = true;
        for (Map.Entry<AttributeKey<?>, Object> attribute : span.getAttributes().asMap().entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            field(json, attribute.getKey().getKey(), String.valueOf(attribute.getValue()));
        }
        return json.append("}}").toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return quoted(quoted(json, name).append(':'), value);
    }

    private static StringBuilder quoted(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    /** Every batch is written when exported. */
    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public synchronized CompletableResultCode shutdown() {
        try {
            out.close();
            return CompletableResultCode.ofSuccess();
        } catch (IOException e) {
            return CompletableResultCode.ofFailure();
        }
    }
}
