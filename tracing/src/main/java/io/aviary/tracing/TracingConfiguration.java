package io.aviary.tracing;

import io.aviary.bus.StanzaBus;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Stanza tracing ({@link StanzaTracing}) on the application's bus, when {@code aviary.tracing.enabled=true}: an
 * OpenTelemetry SDK of the application's own (service name {@code spring.application.name}), sampling parent-based
 * with {@code aviary.tracing.sampling-probability} at the root, exporting in batches to the configured collector
 * and/or file.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "aviary.tracing", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(TracingProperties.class)
public class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    @Bean(destroyMethod = "close")
    public OpenTelemetrySdk stanzaTracingSdk(TracingProperties properties,
                                             @Value("${spring.application.name:aviary}") String service) {
        if (properties.otlpEndpoint() == null && properties.file() == null) {
            throw new IllegalStateException(
                    "aviary.tracing.enabled needs aviary.tracing.otlp-endpoint or aviary.tracing.file");
        }
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(properties.samplingProbability())));
        if (properties.otlpEndpoint() != null) {
            provider.addSpanProcessor(BatchSpanProcessor.builder(
                    OtlpHttpSpanExporter.builder().setEndpoint(properties.otlpEndpoint()).build()).build());
        }
        if (properties.file() != null) {
            try {
                provider.addSpanProcessor(BatchSpanProcessor.builder(new JsonLinesSpanExporter(properties.file()))
                        .build());
            } catch (IOException e) {
                throw new UncheckedIOException("aviary.tracing.file " + properties.file(), e);
            }
        }
        log.info("Tracing {} of the stanzas entering the bus to {}", properties.samplingProbability(),
                properties.otlpEndpoint() != null ? properties.otlpEndpoint() : properties.file());
        return OpenTelemetrySdk.builder().setTracerProvider(provider.build())
                .setPropagators(ContextPropagators.create(
                        W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** Sets the interceptor on the bus as soon as the bus exists, before anything publishes or subscribes on it. */
    @Bean
    public static BeanPostProcessor stanzaBusTracing(ObjectProvider<OpenTelemetrySdk> sdk) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof StanzaBus bus) {
                    OpenTelemetrySdk telemetry = sdk.getObject();
                    bus.intercept(new StanzaTracing(telemetry.getTracer("io.aviary.bus"),
                            telemetry.getPropagators().getTextMapPropagator(),
                            bean.getClass().getSimpleName().startsWith("Kafka") ? "kafka" : "in-process"));
                }
                return bean;
            }
        };
    }
}
