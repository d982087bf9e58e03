package io.aviary.tracing;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tracing of stanzas over the bus, under {@code aviary.tracing}.
 *
 * @param enabled             {@code aviary.tracing.enabled}: trace at all (default false)
 * @param samplingProbability {@code aviary.tracing.sampling-probability}: the share of stanzas entering the bus whose
 *                            way is traced, 0 to 1 (default 0.1); a traced stanza is traced in every tier it reaches
 * @param otlpEndpoint        {@code aviary.tracing.otlp-endpoint}: an OpenTelemetry collector's OTLP/HTTP traces
 *                            address, e.g. {@code http://localhost:4318/v1/traces} (default none)
 * @param file                {@code aviary.tracing.file}: a file the spans are appended to, one JSON object per line
 *                            (default none); one of the two is needed
 */
@ConfigurationProperties("aviary.tracing")
public record TracingProperties(@DefaultValue("false") boolean enabled,
                                @DefaultValue("0.1") double samplingProbability,
                                String otlpEndpoint,
                                Path file) {

    public TracingProperties {
        if (samplingProbability < 0 || samplingProbability > 1) {
            throw new IllegalArgumentException("aviary.tracing.sampling-probability must be between 0 and 1");
        }
    }
}
