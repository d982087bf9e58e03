package io.aviary.tracing;

import io.aviary.bus.BusInterceptor;
import io.aviary.bus.BusMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Traces a stanza's way over the bus (design.md's "One stanza's way": gateway → route topic → router → gateway
 * topic → gateway, and the services on the way). A stanza published outside any span (a client's, entering at the
 * gateway) starts a trace when the sampler takes it; a sampled trace's W3C context rides in the bus message's headers
 * ({@code traceparent}), and every handler that receives it runs in a span of its own, child of the one that published
 * it, so whatever the handler publishes continues the trace in the next tier. Unsampled stanzas carry nothing and cost
 * one sampling decision.
 */
public final class StanzaTracing implements BusInterceptor {

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String system;

    /** @param system what the spans call the bus ({@code kafka}, {@code in-process}) */
    public StanzaTracing(Tracer tracer, TextMapPropagator propagator, String system) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.system = system;
    }

    @Override
    public BusMessage onPublish(String topic, String key, BusMessage message) {
        Span current = Span.current();
        if (current.getSpanContext().isValid()) {
            return current.getSpanContext().isSampled() ? withContext(message, Context.current()) : message;
        }
        Span root = described(tracer.spanBuilder("publish " + topic).setSpanKind(SpanKind.PRODUCER), topic, message)
                .startSpan();
        try {
            return root.getSpanContext().isSampled() ? withContext(message, Context.current().with(root)) : message;
        } finally {
            root.end();
        }
    }

    private BusMessage withContext(BusMessage message, Context context) {
        Map<String, String> headers = new HashMap<>(message.headers());
        propagator.inject(context, headers, Map::put);
        return new BusMessage(message.stanza(), headers);
    }

    @Override
    public Consumer<BusMessage> onSubscribe(String topic, String group, Consumer<BusMessage> handler) {
        return message -> {
            if (message.header("traceparent") == null) {
                handler.accept(message);
                return;
            }
            Context parent = propagator.extract(Context.root(), message.headers(), HEADERS);
            Span span = described(tracer.spanBuilder("process " + topic).setParent(parent)
                    .setSpanKind(SpanKind.CONSUMER).setAttribute("messaging.consumer.group.name", group), topic, message)
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                handler.accept(message);
            } catch (RuntimeException e) {
                span.recordException(e);
                span.setStatus(StatusCode.ERROR);
                throw e;
            } finally {
                span.end();
            }
        };
    }

    /** What a span says about the stanza: its kind and type, never its addresses or content. */
    private SpanBuilder described(SpanBuilder span, String topic, BusMessage message) {
        span.setAttribute("messaging.system", system).setAttribute("messaging.destination.name", topic)
                .setAttribute("xmpp.stanza", message.stanza().name());
        String type = message.stanza().attributeOrNull("type");
        if (type != null) {
            span.setAttribute("xmpp.type", type);
        }
        return span;
    }
}
