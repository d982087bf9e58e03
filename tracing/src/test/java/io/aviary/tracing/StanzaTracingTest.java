package io.aviary.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.xmpp.xml.XmlElement;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stanza's way over a real (in-process) bus with tracing on: a client's message enters on the route topic, the
 * "router" hands it on to a gateway topic, the "gateway" gets it. One trace, each hop the child of the one before.
 */
class StanzaTracingTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InProcessBus bus = new InProcessBus(2);

    @AfterEach
    void close() {
        bus.close();
    }

    private void trace(double probability) {
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(probability))).build();
        bus.intercept(new StanzaTracing(provider.get("test"), W3CTraceContextPropagator.getInstance(), "in-process"));
    }

    private BusMessage travel() throws InterruptedException {
        BlockingQueue<BusMessage> delivered = new LinkedBlockingQueue<>();
        bus.subscribe("xmpp.route", "router", message ->
                bus.publish("xmpp.gateway.gw1", "juliet@localhost", BusMessage.of(message.stanza())));
        bus.subscribe("xmpp.gateway.gw1", "gw1", delivered::add);
        bus.publish("xmpp.route", "juliet@localhost", BusMessage.of(XmlElement.builder("message", "jabber:client")
                .attribute("type", "chat").attribute("to", "juliet@localhost").textChild("body", "hi").build()));
        return delivered.poll(5, TimeUnit.SECONDS);
    }

    @Test
    void aSampledStanzaIsOneTraceAcrossTheHops() throws Exception {
        trace(1.0);
        BusMessage delivered = travel();
        assertThat(delivered).isNotNull();
        assertThat(delivered.header("traceparent")).isNotNull();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (spans.getFinishedSpanItems().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("publish xmpp.route", "process xmpp.route", "process xmpp.gateway.gw1");
        SpanData publish = byName(finished, "publish xmpp.route");
        SpanData routed = byName(finished, "process xmpp.route");
        SpanData deliveredSpan = byName(finished, "process xmpp.gateway.gw1");
        assertThat(finished).extracting(SpanData::getTraceId).containsOnly(publish.getTraceId());
        assertThat(routed.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(deliveredSpan.getParentSpanId()).isEqualTo(routed.getSpanId());
        assertThat(routed.getAttributes().asMap().toString()).contains("xmpp.stanza=message", "xmpp.type=chat")
                .doesNotContain("juliet");
    }

    @Test
    void anUnsampledStanzaCarriesNothingAndMakesNoSpan() throws Exception {
        trace(0.0);
        BusMessage delivered = travel();
        assertThat(delivered).isNotNull();
        assertThat(delivered.headers()).doesNotContainKey("traceparent");
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void spansGoToTheFileOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        trace(1.0);
        travel();
        Path file = dir.resolve("spans.jsonl");
        JsonLinesSpanExporter exporter = new JsonLinesSpanExporter(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (spans.getFinishedSpanItems().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        exporter.export(spans.getFinishedSpanItems());
        exporter.shutdown();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("{\"traceId\":\"")
                .contains("\"attributes\":{").endsWith("}}"));
    }

    private static SpanData byName(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }
}
